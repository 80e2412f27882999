/**
 * The DICE/RIoT computation of the MXChip AZ3166 DevKit as a library, one package per stage of the
 * data path: {@code firmware} (the flash image) → {@code dice} (its measurement and the UDS) →
 * {@code riot} (the DeviceID and Alias keys) → {@code x509} (the certificates) → {@code pem} →
 * {@code output} (files published all at once) → {@code fleet} (many devices) → {@code verify} →
 * {@code enroll} (DPS). {@code id}, {@code io} and {@code common} are the ground floor every stage
 * stands on. This package holds the one-device facade over the stages up to {@code pem}.
 */
package io.github.dpsplugin.core;
