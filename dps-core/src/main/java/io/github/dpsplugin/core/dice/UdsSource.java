package io.github.dpsplugin.core.dice;

/**
 * Where a device's UDS comes from (a settings.xml server, an environment variable, a secret
 * file). {@link #open()} is called when the UDS is needed and the result closed right after use;
 * {@code toString()} describes the source for messages and never reveals the secret.
 */
public interface UdsSource {

    /**
     * Reads and parses the UDS.
     *
     * @throws io.github.dpsplugin.core.common.DpsException naming the field at fault when the source is
     *     missing or does not hold a valid UDS
     */
    Uds open();
}
