package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link VerifyRequest}: reads and measures the firmware once, reads every certificate
 * (files, and those the manifest lists), checks each with a {@link CertificateVerifier} and
 * returns the {@link VerifyReport}. Missing or unreadable input files are errors
 * ({@link DpsException}); a file that holds no certificate is a finding in the report.
 */
public final class Verifier {

    /** Largest certificate file read; a DevKit alias certificate is about 600 bytes. */
    static final long MAX_CERTIFICATE_FILE = 1L << 20;

    private Verifier() {
    }

    public static VerifyReport run(VerifyRequest request) {
        FirmwareImage image = firmwareFiles(request).read();
        FirmwareMeasurement measurement = FirmwareMeasurement.of(image);
        List<Input> inputs = new ArrayList<>();
        for (Path p : request.certificates()) {
            inputs.add(new Input(fileName(p), readBytes(p, "certificate", MAX_CERTIFICATE_FILE),
                    request.expectedRegistrationId()));
        }
        if (request.manifest() != null) {
            List<ManifestReader.Entry> listed = new ArrayList<>();
            ManifestReader.read(request.manifest(), listed::add);
            for (ManifestReader.Entry e : listed) {
                inputs.add(new Input(e.file, ManifestReader.certificate(request.manifest(), e.file), e.registrationId));
            }
        }
        if (request.uds() != null && inputs.size() > 1) {
            throw new DpsException("uds", "a UDS is one device's secret, but " + inputs.size() + " certificates are to"
                    + " be verified; give the UDS with that device's certificate only, or verify without a UDS");
        }
        CertificateVerifier verifier = CertificateVerifier.of(measurement, request.noncePolicy());
        List<CertificateReport> reports = new ArrayList<>();
        try (Uds uds = request.uds() == null ? null : request.uds().open()) {
            for (Input in : inputs) {
                reports.add(in.verify(verifier, uds));
            }
        }
        return new VerifyReport(firmwareFiles(request).names(), measurement, request.noncePolicy(),
                request.uds() == null ? null : request.uds().toString(), reports);
    }

    private static FirmwareFiles firmwareFiles(VerifyRequest request) {
        return FirmwareFiles.of(request.firmwareBin(), request.firmwareMap(), request.firmwareElf());
    }

    /** One certificate to check: PEM text or raw DER. */
    private static final class Input {
        final String label;
        final byte[] content;
        final RegistrationId expected;

        Input(String label, byte[] content, RegistrationId expected) {
            this.label = label;
            this.content = content;
            this.expected = expected;
        }

        CertificateReport verify(CertificateVerifier verifier, Uds uds) {
            byte[] der;
            if (looksLikePem(content)) {
                try {
                    der = Pem.decode(Pem.CERTIFICATE, new String(content, StandardCharsets.ISO_8859_1));
                } catch (IllegalArgumentException e) {
                    return CertificateVerifier.unreadable(label, "PEM text without a readable CERTIFICATE block ("
                            + e.getMessage() + ")", expected);
                }
            } else {
                der = content;
            }
            if (der.length == 0) {
                return CertificateVerifier.unreadable(label, "the file is empty", expected);
            }
            return verifier.verify(label, der, expected, uds);
        }
    }

    private static boolean looksLikePem(byte[] b) {
        String head = new String(b, 0, Math.min(b.length, 4096), StandardCharsets.ISO_8859_1);
        return head.contains("-----BEGIN ");
    }

    private static String fileName(Path p) {
        return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }

    /** The bytes of a certificate file of at most {@code max} bytes; errors name {@code field} and the file. */
    static byte[] readBytes(Path file, String field, long max) {
        try (InputStream in = open(file, field)) {
            byte[] b = in.readNBytes((int) max + 1);
            if (b.length > max) {
                throw new DpsException(field, file + " is larger than " + max + " bytes; not a certificate");
            }
            return b;
        } catch (IOException e) {
            throw DpsException.environment(field, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A file opened for reading; errors name {@code field} and the file. */
    static InputStream open(Path file, String field) {
        if (Files.isDirectory(file)) {
            throw new DpsException(field, file + " is a directory; expected a file");
        }
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DpsException(field, file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new DpsException(field, file + " is not readable (permission denied)");
        } catch (IOException e) {
            throw DpsException.environment(field, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
