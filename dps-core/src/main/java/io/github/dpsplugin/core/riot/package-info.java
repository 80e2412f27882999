/**
 * RIoT key derivation: the DeviceID and Alias key pairs from the CDI, on P-256 with Bouncy
 * Castle's field arithmetic and a constant-time fixed-base table.
 */
package io.github.dpsplugin.core.riot;
