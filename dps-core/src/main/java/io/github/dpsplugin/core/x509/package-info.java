/** The DeviceID and alias certificates, byte for byte as the device encodes and signs them. */
package io.github.dpsplugin.core.x509;
