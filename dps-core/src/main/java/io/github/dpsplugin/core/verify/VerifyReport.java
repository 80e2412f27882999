package io.github.dpsplugin.core.verify;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.io.JsonIo;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The result of a {@code verify} run: the firmware checked against, the expectations, and one
 * {@link CertificateReport} per certificate; rendered as text ({@value #TEXT_FILE}) and JSON
 * ({@value #JSON_FILE}). Deterministic (no time stamps, no absolute paths, fixed order) and free of
 * secrets: the UDS is described by where it came from, never by value. Immutable.
 *
 * <p>A report made by {@link Verifier#run(VerifyRequest)} holds every certificate's report; one
 * streamed into its files by {@link Verifier#run(VerifyRequest, Path, java.util.function.Consumer)}
 * holds the counts and at most {@value #MAX_FAILED_KEPT} failed reports, whatever the fleet's size.
 */
public final class VerifyReport {

    public static final String TEXT_FILE = "dps-verify.txt";
    public static final String JSON_FILE = "dps-verify.json";
    /** The JSON report's format version. */
    public static final int FORMAT = 1;
    /** Failed reports a streamed report keeps for the failure message; the files list every one. */
    public static final int MAX_FAILED_KEPT = 100;

    private final ReportHeader header;
    private final List<CertificateReport> certificates;
    private final boolean complete;
    private final long count;
    private final long failedCount;
    /** Certificates by {@link Status}, indexed by ordinal. */
    private final long[] counts;
    private final List<Path> files;

    /** A report holding every certificate's report. */
    VerifyReport(ReportHeader header, List<CertificateReport> certificates) {
        this.header = header;
        this.certificates = Collections.unmodifiableList(new ArrayList<>(certificates));
        this.complete = true;
        this.counts = new long[Status.values().length];
        certificates.forEach(c -> counts[c.status().ordinal()]++);
        this.count = ReportHeader.certificates(counts);
        this.failedCount = ReportHeader.failed(counts);
        this.files = List.of();
    }

    /** A streamed report: its files are written; it keeps the first failed reports only. */
    private VerifyReport(ReportHeader header, long[] counts, List<CertificateReport> failedKept, List<Path> files) {
        this.header = header;
        this.certificates = Collections.unmodifiableList(new ArrayList<>(failedKept));
        this.complete = false;
        this.counts = counts.clone();
        this.count = ReportHeader.certificates(counts);
        this.failedCount = ReportHeader.failed(counts);
        this.files = List.copyOf(files);
    }

    /** How many certificates have {@code status}. */
    public long count(Status status) {
        return counts[status.ordinal()];
    }

    /**
     * The counts in the reports' words, e.g. {@code 3 certificates: 2 recomputed, 1 previous-firmware};
     * the first line of the text report says the same.
     */
    public String summary() {
        return ReportHeader.summary(counts);
    }

    /**
     * The certificates' reports this object holds: all of them, or for a streamed report the first
     * {@value #MAX_FAILED_KEPT} failed ones (the report files hold all).
     */
    public List<CertificateReport> certificates() {
        return certificates;
    }

    /** How many certificates were verified (listed devices without one are not counted). */
    public long count() {
        return count;
    }

    /** How many certificates do not match ({@link Status#MISMATCH}) and listed devices have none ({@link Status#MISSING}). */
    public long failedCount() {
        return failedCount;
    }

    /** True when no certificate is a {@link Status#MISMATCH} and no listed device is {@link Status#MISSING}. */
    public boolean ok() {
        return failedCount == 0;
    }

    /** The failed certificates' reports held (see {@link #certificates()}). */
    public List<CertificateReport> failed() {
        List<CertificateReport> out = new ArrayList<>();
        for (CertificateReport c : certificates) {
            if (!c.ok()) {
                out.add(c);
            }
        }
        return out;
    }

    /** The firmware's input files by role: {@code elf}, or {@code bin} and {@code map}. */
    public Map<String, String> firmwareFiles() {
        return header.firmwareFiles;
    }

    public String fwid() {
        return header.fwid;
    }

    /** The device's nonce policy checked against, or {@code null} for either. */
    public NoncePolicy expectedNonce() {
        return header.expectedNonce;
    }

    /** Where the UDS came from (e.g. a settings.xml server id), or {@code null} when verified without one. */
    public String udsSource() {
        return header.udsSource;
    }

    /** The report files written by a streamed run ({@value #TEXT_FILE}, {@value #JSON_FILE}); else empty. */
    public List<Path> files() {
        return files;
    }

    /**
     * One line per failed certificate with its causes explained, for a build failure message;
     * empty when all match. Beyond the failed reports held, a last line counts the others.
     */
    public String failureSummary() {
        if (failedCount == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        List<CertificateReport> failed = failed();
        long mismatched = counts[Status.MISMATCH.ordinal()];
        if (mismatched > 0) {
            // the status word of the reports and the log
            sb.append(mismatched).append(" of ").append(count).append(" certificate").append(count == 1 ? "" : "s")
                    .append(": ").append(Status.MISMATCH.word())
                    .append(" (not what the device computes from this firmware):");
            long shown = 0;
            for (CertificateReport c : failed) {
                if (c.status() != Status.MISMATCH) {
                    continue;
                }
                shown++;
                sb.append("\n  ").append(title(c)).append(':');
                for (Check k : c.checks()) {
                    if (k.outcome() == Check.Outcome.FAIL) {
                        sb.append("\n    ").append(k.cause()).append(": ").append(k.cause().explanation())
                                .append(" (").append(k.detail()).append(')');
                    }
                }
            }
            more(sb, mismatched, shown);
        }
        long missing = counts[Status.MISSING.ordinal()];
        if (missing > 0) {
            sb.append(sb.length() == 0 ? "" : "\n").append(missing).append(" listed device")
                    .append(missing == 1 ? "" : "s").append(": ").append(Status.MISSING.word())
                    .append(" (no certificate among those verified carries its registration ID):");
            long shown = 0;
            for (CertificateReport c : failed) {
                if (c.status() == Status.MISSING) {
                    shown++;
                    sb.append("\n  ").append(title(c));
                }
            }
            more(sb, missing, shown);
        }
        return sb.toString();
    }

    private static void more(StringBuilder sb, long all, long shown) {
        if (all > shown) {
            sb.append("\n  and ").append(all - shown).append(" more (see the report)");
        }
    }

    /** The human-readable report (of a report that holds every certificate). */
    public String text() {
        requireComplete();
        StringBuilder sb = new StringBuilder(header.text(counts));
        for (CertificateReport c : certificates) {
            sb.append(ReportHeader.text(c));
        }
        return sb.toString();
    }

    /** The machine-readable report (of a report that holds every certificate). */
    public String json() {
        requireComplete();
        return new String(JsonIo.document(g -> {
            header.jsonStart(g);
            for (CertificateReport c : certificates) {
                ReportHeader.json(g, c);
            }
            header.jsonEnd(g, counts);
        }), StandardCharsets.UTF_8);
    }

    private void requireComplete() {
        if (!complete) {
            throw new IllegalStateException("a streamed report is in its files: " + files);
        }
    }

    static String title(CertificateReport c) {
        return c.label() + (c.registrationId() == null ? "" : " (" + c.registrationId() + ")");
    }

    /**
     * Writes {@value #TEXT_FILE} and {@value #JSON_FILE} into {@code directory} (created if needed),
     * each replaced whole; returns their paths. A streamed report's files are already written there.
     */
    public List<Path> write(Path directory) {
        if (!complete) {
            return files;
        }
        try {
            Files.createDirectories(directory);
            removeStaleTemporaryFiles(directory);
            byte[] text = text().getBytes(StandardCharsets.UTF_8);
            byte[] json = json().getBytes(StandardCharsets.UTF_8);
            return List.of(replace(directory, TEXT_FILE, out -> out.write(text)),
                    replace(directory, JSON_FILE, out -> out.write(json)));
        } catch (IOException e) {
            throw cannotWrite(directory, e);
        }
    }

    /**
     * Removes the temporary files of runs killed while writing their report into {@code directory}
     * ({@code .dps-verify.txt*.tmp}, {@code .dps-verify.json*.tmp}): a large fleet's can be
     * gigabytes, and nothing else would ever remove them. Only regular files of exactly that form.
     */
    static int removeStaleTemporaryFiles(Path directory) throws IOException {
        int removed = 0;
        try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(directory, p -> {
            String n = p.getFileName().toString();
            return (n.startsWith("." + TEXT_FILE) || n.startsWith("." + JSON_FILE)) && n.endsWith(".tmp")
                    && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        })) {
            for (Path p : s) {
                Files.deleteIfExists(p);
                removed++;
            }
        }
        return removed;
    }

    private static DpsException cannotWrite(Path directory, IOException e) {
        return DpsException.environment("reportDirectory", "cannot write the report into " + directory + ": "
                + e.getMessage(), e);
    }

    /** Writes content through a temporary file beside {@code name} and moves it over {@code name}. */
    private static Path replace(Path dir, String name, Content content) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            move(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    @Override
    public String toString() {
        return "VerifyReport[" + count + " certificates, " + failedCount + " failed]";
    }

    /**
     * Streams a run's reports into temporary files in the report directory: the JSON report whole
     * (its verdict comes after the certificates), the text report's certificate sections (its
     * first line, the verdict, is prepended at the end). {@link #finish()} moves both into place;
     * closing an unfinished writer deletes them.
     */
    static final class Writer implements AutoCloseable {
        private final ReportHeader header;
        private final Path directory;
        private final Path textBody;
        private final Path jsonFile;
        private final java.io.Writer text;
        private final OutputStream jsonStream;
        private final JsonGenerator json;
        private final List<CertificateReport> failedKept = new ArrayList<>();
        private final boolean createdDirectory;
        private final long[] counts = new long[Status.values().length];
        private boolean finished;

        Writer(ReportHeader header, Path directory) {
            this.header = header;
            this.directory = directory;
            this.createdDirectory = !Files.isDirectory(directory);
            Path t = null;
            Path j = null;
            try {
                Files.createDirectories(directory);
                removeStaleTemporaryFiles(directory);
                t = Files.createTempFile(directory, "." + TEXT_FILE, ".body.tmp");
                j = Files.createTempFile(directory, "." + JSON_FILE, ".tmp");
                this.text = new BufferedWriter(Files.newBufferedWriter(t, StandardCharsets.UTF_8), 64 * 1024);
                this.jsonStream = Files.newOutputStream(j);
                this.json = JsonIo.generator(jsonStream);
                header.jsonStart(json);
            } catch (IOException e) {
                deleteQuietly(t);
                deleteQuietly(j);
                throw cannotWrite(directory, e);
            }
            this.textBody = t;
            this.jsonFile = j;
        }

        void add(CertificateReport c) {
            counts[c.status().ordinal()]++;
            if (!c.ok()) {
                if (failedKept.size() < MAX_FAILED_KEPT) {
                    failedKept.add(c);
                }
            }
            try {
                text.write(ReportHeader.text(c));
                ReportHeader.json(json, c);
            } catch (IOException e) {
                throw cannotWrite(directory, e);
            }
        }

        /** Completes both files and moves them into place; returns the report. */
        VerifyReport finish() {
            try {
                text.close();
                header.jsonEnd(json, counts);
                JsonIo.endDocument(json);
                json.close();
                jsonStream.close();
                byte[] head = header.text(counts).getBytes(StandardCharsets.UTF_8);
                Path textFile = replace(directory, TEXT_FILE, out -> {
                    out.write(head);
                    Files.copy(textBody, out);
                });
                Path target = directory.resolve(JSON_FILE);
                move(jsonFile, target);
                finished = true;
                return new VerifyReport(header, counts, failedKept, List.of(textFile, target));
            } catch (IOException e) {
                throw cannotWrite(directory, e);
            }
        }

        @Override
        public void close() {
            try {
                text.close();
            } catch (IOException e) {
                // the files are being discarded or are complete
            }
            try {
                json.close();
                jsonStream.close();
            } catch (IOException e) {
                // as above
            }
            deleteQuietly(textBody);
            if (!finished) {
                deleteQuietly(jsonFile);
                if (createdDirectory) {
                    try {
                        Files.deleteIfExists(directory); // only when empty: nothing of a failed run stays
                    } catch (IOException e) {
                        // not empty, or not ours to remove
                    }
                }
            }
        }

        private static void deleteQuietly(Path p) {
            if (p == null) {
                return;
            }
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file that cannot be deleted is left for the next run's directory listing
            }
        }
    }
}
