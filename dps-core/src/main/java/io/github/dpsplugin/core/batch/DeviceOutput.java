package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.id.RegistrationId;
import java.nio.file.Path;

/** What was written for one device: file locations and the public facts about its certificates. */
public final class DeviceOutput {

    private final DeviceCertificates certificates;
    private final Path aliasCertificateFile;
    private final Path deviceIdCertificateFile;

    DeviceOutput(DeviceCertificates certificates, Path aliasCertificateFile, Path deviceIdCertificateFile) {
        this.certificates = certificates;
        this.aliasCertificateFile = aliasCertificateFile;
        this.deviceIdCertificateFile = deviceIdCertificateFile;
    }

    public RegistrationId registrationId() {
        return certificates.registrationId();
    }

    public DeviceCertificates certificates() {
        return certificates;
    }

    /** {@code <outputDirectory>/<registrationId>.pem}: the file to upload to DPS. */
    public Path aliasCertificateFile() {
        return aliasCertificateFile;
    }

    /** {@code <outputDirectory>/<registrationId>-deviceid.pem}. */
    public Path deviceIdCertificateFile() {
        return deviceIdCertificateFile;
    }
}
