package io.github.dpsplugin.core;

import io.github.dpsplugin.core.id.RegistrationId;

/** Test access to {@link DeviceCertificates}, for volume tests of what is written about devices. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /**
     * {@code template}'s certificates and keys under another registration ID: cheap stand-ins for
     * many devices (they are not what that device would present).
     */
    public static DeviceCertificates relabel(DeviceCertificates template, RegistrationId id) {
        return new DeviceCertificates(id, template.aliasCertificateDer(), template.deviceIdCertificateDer(),
                template.deviceIdPublicKeyDer(), template.aliasPublicKey(), template.fwid(), template.noncePolicy());
    }
}
