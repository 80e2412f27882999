/**
 * A fleet: the devices (listed or from a devices file) and their UDS files, validated as a whole,
 * computed on several threads and written in order through {@code output}.
 */
package io.github.dpsplugin.core.fleet;
