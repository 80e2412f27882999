/**
 * DICE: the UDS (the device's secret, cleared after use) and the measurement of the firmware that,
 * hashed with it, gives the CDI.
 */
package io.github.dpsplugin.core.dice;
