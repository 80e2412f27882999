/**
 * The identifiers a device is known by (registration ID, MAC address, firmware version), validated
 * on construction and encoded as the device encodes them.
 */
package io.github.dpsplugin.core.id;
