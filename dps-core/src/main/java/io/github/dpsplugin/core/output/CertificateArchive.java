package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.DpsException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code dps-certificates.zip}: every certificate of a run in one artifact, for fleets where
 * attaching one artifact per device would flood a repository. Written as a stream; entries carry
 * a fixed time so the archive's bytes depend on its content only.
 */
public final class CertificateArchive implements AutoCloseable {

    public static final String FILE_NAME = "dps-certificates.zip";
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2017, 1, 1, 0, 0);

    private final ZipOutputStream zip;

    public CertificateArchive(OutputStream out) {
        this.zip = new ZipOutputStream(out);
        zip.setLevel(6);
    }

    /** Adds an entry; returns false, adding nothing, if an entry of that name exists. */
    public boolean add(String name, byte[] content) {
        ZipEntry e = new ZipEntry(name);
        // the DOS time field only, set without time-zone conversion: same bytes in every zone
        e.setTimeLocal(FIXED_TIME);
        try {
            zip.putNextEntry(e);
            zip.write(content);
            zip.closeEntry();
            return true;
        } catch (java.util.zip.ZipException ex) {
            if (ex.getMessage() != null && ex.getMessage().startsWith("duplicate entry")) {
                return false;
            }
            throw new DpsException("outputDirectory", "cannot write " + FILE_NAME + ": " + ex.getMessage(), ex);
        } catch (IOException ex) {
            throw new DpsException("outputDirectory", "cannot write " + FILE_NAME + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException ex) {
            throw new DpsException("outputDirectory", "cannot write " + FILE_NAME + ": " + ex.getMessage(), ex);
        }
    }
}
