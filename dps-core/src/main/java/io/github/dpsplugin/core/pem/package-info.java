/** The PEM text of a certificate in the layouts the device and the tools around DPS use. */
package io.github.dpsplugin.core.pem;
