/** Checking certificates and manifests already written against the firmware and, with the UDS files, recomputing them. */
package io.github.dpsplugin.core.verify;
