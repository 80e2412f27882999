/**
 * The firmware as it lies in the DevKit's flash: the {@code .bin} and {@code .map} (or an ELF), read and
 * bounded, with the riot_core and riot_fw ranges the device measures.
 */
package io.github.dpsplugin.core.firmware;
