package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.id.RegistrationId;
import java.nio.file.Path;

/**
 * What was written for one device: file locations and the public facts about its certificates.
 *
 * @param aliasCertificateFile {@code <outputDirectory>/<registrationId>.pem}: the file to upload to DPS
 * @param deviceIdCertificateFile {@code <outputDirectory>/<registrationId>-deviceid.pem}
 */
public record DeviceOutput(DeviceCertificates certificates, Path aliasCertificateFile, Path deviceIdCertificateFile) {

    public RegistrationId registrationId() {
        return certificates.registrationId();
    }
}
