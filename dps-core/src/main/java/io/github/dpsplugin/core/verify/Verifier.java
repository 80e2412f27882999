package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.StagedOutput;
import io.github.dpsplugin.core.pem.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a {@link VerifyRequest}: reads and measures the firmware once, reads the certificates one
 * at a time (files, then those the manifest lists), checks each with a {@link CertificateVerifier}
 * (on {@link VerifyRequest#threads()} threads, the reports in the order read) and returns the
 * {@link VerifyReport}. Missing or unreadable input files are errors
 * ({@link DpsException}); a file that holds no certificate is a finding in the report.
 */
public final class Verifier {

    /** Largest certificate file read; a DevKit alias certificate is about 600 bytes. */
    static final long MAX_CERTIFICATE_FILE = 1L << 20;

    private Verifier() {
    }

    /**
     * Verifies and keeps every report in memory: for a few certificates (tests, a single file). A
     * fleet's manifest goes through {@link #run(VerifyRequest, Path, Consumer)}.
     */
    public static VerifyReport run(VerifyRequest request) {
        Prepared p = prepare(request);
        List<CertificateReport> all = new ArrayList<>();
        verifyAll(request, p, all::add);
        return new VerifyReport(p.header(), all);
    }

    /**
     * Verifies in one pass and streams: each report goes to {@code each} and into the report files
     * in {@code reportDirectory} as it is made, and only a bounded number of failed reports is kept
     * (for the failure message), so memory does not grow with the fleet. The manifest is read one
     * device at a time and the archive opened once. The report files appear only when the run
     * completes; on an error none is left behind.
     */
    public static VerifyReport run(VerifyRequest request, Path reportDirectory, Consumer<CertificateReport> each) {
        Prepared p = prepare(request);
        try (VerifyReport.Writer writer = new VerifyReport.Writer(p.header(), reportDirectory)) {
            verifyAll(request, p, c -> {
                writer.add(c);
                each.accept(c);
            });
            return writer.finish();
        }
    }

    /**
     * The firmware measured once, and what every report says about the run.
     *
     * @param previous the previous firmware's verifier, when a previous firmware is given; else {@code null}
     * @param coverage the listed devices the certificates must cover, when devices are given; else {@code null}
     */
    private record Prepared(CertificateVerifier verifier, CertificateVerifier previous, ReportHeader header,
            Coverage coverage) {
    }

    private static Prepared prepare(VerifyRequest request) {
        if (request.manifest() != null) {
            refuseInterruptedPublish(request.manifest());
        }
        // the devices first: a device in error fails the run before the firmware is measured
        Coverage coverage = request.devices() == null ? null : new Coverage(request.devices());
        FirmwareImage image = request.firmware().read();
        FirmwareMeasurement measurement = FirmwareMeasurement.of(image);
        FirmwareMeasurement previous = request.previousFirmware() == null ? null
                : FirmwareMeasurement.of(request.previousFirmware().read());
        return new Prepared(CertificateVerifier.of(measurement, request.noncePolicy()),
                previous == null ? null : CertificateVerifier.of(previous, request.noncePolicy()),
                new ReportHeader(request.firmware().names(), measurement, request.noncePolicy(),
                        request.uds() != null ? request.uds().toString() : request.udsLookupDescription(),
                        request.previousFirmware() == null ? null : request.previousFirmware().names(), previous,
                        request.devices() == null ? null : request.devices().description()),
                coverage);
    }

    /**
     * Certificate files first, then the manifest's devices, one at a time, each report to
     * {@code sink}; with listed devices, last those of them no certificate is of.
     */
    private static void verifyAll(VerifyRequest request, Prepared p, Consumer<CertificateReport> sink) {
        if (p.coverage() == null) {
            verifyCertificates(request, p.verifier(), p.previous(), sink);
            return;
        }
        verifyCertificates(request, p.verifier(), p.previous(), c -> sink.accept(p.coverage().add(c)));
        p.coverage().reportMissing(sink);
    }

    private static void verifyCertificates(VerifyRequest request, CertificateVerifier verifier,
            CertificateVerifier previous, Consumer<CertificateReport> sink) {
        if (request.uds() != null) {
            long total = request.certificates().size()
                    + (request.manifest() == null ? 0 : ManifestReader.read(request.manifest(), e -> { }));
            if (total > 1) {
                throw new DpsException("uds", "a UDS is one device's secret, but " + total + " certificates are to"
                        + " be verified; give the UDS with that device's certificate only, or verify without a UDS");
            }
        }
        try (Uds uds = request.uds() == null ? null : request.uds().open();
                ManifestReader.Certificates listed = request.manifest() == null ? null
                        : new ManifestReader.Certificates(request.manifest());
                OrderedChecks checks = new OrderedChecks(request.threads(), c -> verify(request, verifier, c.label(),
                        c.content(), c.expected(), uds, previous), sink)) {
            try {
                for (Path p : request.certificates()) {
                    checks.add(new OrderedChecks.Certificate(fileName(p),
                            readBytes(p, "certificate", MAX_CERTIFICATE_FILE), request.expectedRegistrationId()));
                }
                if (listed != null) {
                    ManifestReader.read(request.manifest(), e -> checks.add(new OrderedChecks.Certificate(e.file,
                            listed.read(e.file), e.registrationId)));
                }
            } catch (RuntimeException error) {
                checks.finish(); // after a read error: what was read before comes first, its errors included
                throw error;
            }
            checks.finish();
        }
    }

    /**
     * A publish killed halfway leaves its journal beside the manifest: the directory then mixes two
     * runs (new certificates, the previous manifest), and every replaced certificate would be reported
     * as a mismatch. The next generate completes the publish; verify only says so.
     */
    private static void refuseInterruptedPublish(Path manifest) {
        Path dir = manifest.toAbsolutePath().getParent();
        Path journal = dir == null ? null : dir.resolve(StagedOutput.JOURNAL);
        if (journal != null && Files.exists(journal, LinkOption.NOFOLLOW_LINKS)) {
            throw new DpsException("manifest", dir + " holds " + StagedOutput.JOURNAL + ", the journal of a"
                    + " generate run whose publishing was interrupted (killed, or still running): the directory"
                    + " mixes two runs' files. Run generate again into it (it completes the interrupted publishing"
                    + " first), then verify");
        }
    }

    /**
     * Checks one certificate given as PEM text or raw DER; with the fleet's UDS lookup, recomputed
     * with its device's UDS (found by the expected registration ID, else by the certificate's).
     */
    private static CertificateReport verify(VerifyRequest request, CertificateVerifier verifier, String label,
            byte[] content, RegistrationId expected, Uds uds, CertificateVerifier previous) {
        byte[] der;
        if (looksLikePem(content)) {
            String text = new String(content, StandardCharsets.ISO_8859_1);
            try {
                der = Pem.decode(Pem.CERTIFICATE, text);
            } catch (IllegalArgumentException e) {
                return CertificateVerifier.unreadable(label, "PEM text without a readable CERTIFICATE block ("
                        + e.getMessage() + ")", expected);
            }
            String extra = PemFile.extra(text);
            if (extra != null) {
                // what is checked must be all the file holds: a tool that reads another block would upload another
                return CertificateVerifier.unreadable(label, "PEM text with " + extra + "; an alias certificate file"
                        + " holds exactly one CERTIFICATE block", expected);
            }
        } else {
            der = content;
        }
        if (der.length == 0) {
            return CertificateVerifier.unreadable(label, "the file is empty", expected);
        }
        if (request.udsLookup() == null) {
            return check(request, verifier, label, der, expected, uds, null, previous);
        }
        String id = expected != null ? expected.value() : commonName(der);
        UdsSource source = id == null ? null : request.udsLookup().apply(id);
        if (source == null) {
            return check(request, verifier, label, der, expected, null, id == null
                    ? "the certificate names no registration ID to find its UDS by"
                    : "no UDS for '" + id + "' in " + request.udsLookupDescription(), previous);
        }
        try (Uds deviceUds = source.open()) {
            return check(request, verifier, label, der, expected, deviceUds, null, previous);
        }
    }

    private static CertificateReport check(VerifyRequest request, CertificateVerifier verifier, String label,
            byte[] der, RegistrationId expected, Uds uds, String withoutUds, CertificateVerifier previous) {
        CertificateReport report = verifier.verify(label, der, expected, uds, withoutUds);
        return previous == null ? report
                : PreviousFirmwareCheck.apply(report, previous, der, expected, uds, request.currentOnly());
    }

    /** The certificate's subject CN, or null when it cannot be read. */
    private static String commonName(byte[] der) {
        try {
            return AliasCertificate.parse(der).commonName;
        } catch (AliasCertificate.Unreadable e) {
            return null;
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

    /**
     * A regular file opened for reading; errors name {@code field} and the file. Anything else (a
     * FIFO, a device) is refused before it is opened: opening a FIFO blocks until a writer comes.
     */
    static InputStream open(Path file, String field) {
        if (Files.isDirectory(file)) {
            throw new DpsException(field, file + " is a directory; expected a file");
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new DpsException(field, file + " is not a regular file (a FIFO, a socket or a device?);"
                        + " expected a file");
            }
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
