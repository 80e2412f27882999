package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.CertificateArchive;
import io.github.dpsplugin.core.output.ManifestWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The alias certificates listed in a {@code dps-manifest.json} written by {@code generate}: each
 * device's {@code aliasCertificate} file (beside the manifest, or in the run's
 * {@code dps-certificates.zip} when only the archive was written) with its {@code registrationId}.
 */
final class ManifestReader {

    private static final String FIELD = "manifest";
    /** Largest manifest read (about 60 000 devices). */
    static final long MAX_SIZE = 64L << 20;

    /** One listed device. */
    static final class Entry {
        final String file;
        final RegistrationId registrationId;

        Entry(String file, RegistrationId registrationId) {
            this.file = file;
            this.registrationId = registrationId;
        }
    }

    private ManifestReader() {
    }

    static List<Entry> read(Path manifest) {
        String text = Verifier.readText(manifest, FIELD, MAX_SIZE);
        return entries(Json.parse(text, FIELD, manifest.toString()), manifest.toString());
    }

    static List<Entry> entries(Object document, String source) {
        if (!(document instanceof Map)) {
            throw new DpsException(FIELD, source + " is not a dps-manifest.json (no JSON object)");
        }
        Map<?, ?> root = (Map<?, ?>) document;
        Object format = root.get("format");
        if (format != null && !(format instanceof Double && ((Double) format) == ManifestWriter.FORMAT)) {
            throw new DpsException(FIELD, source + " has format " + format + "; this plugin reads manifest format "
                    + ManifestWriter.FORMAT);
        }
        Object devices = root.get("devices");
        if (!(devices instanceof List)) {
            throw new DpsException(FIELD, source + " has no \"devices\" list; is it a dps-manifest.json?");
        }
        List<Entry> out = new ArrayList<>();
        List<?> list = (List<?>) devices;
        for (int i = 0; i < list.size(); i++) {
            String where = source + ": devices[" + i + "]";
            if (!(list.get(i) instanceof Map)) {
                throw new DpsException(FIELD, where + " is not an object");
            }
            Map<?, ?> d = (Map<?, ?>) list.get(i);
            String id = string(d, "registrationId", where);
            String file = string(d, "aliasCertificate", where);
            if (file.isEmpty() || file.equals(".") || file.equals("..") || file.contains("/") || file.contains("\\")) {
                throw new DpsException(FIELD, where + ".aliasCertificate '" + file + "' is not a file name; the"
                        + " manifest lists certificates by name, beside it");
            }
            RegistrationId rid;
            try {
                rid = RegistrationId.of(id);
            } catch (DpsException e) {
                throw new DpsException(FIELD, where + ".registrationId: " + e.getMessage());
            }
            out.add(new Entry(file, rid));
        }
        if (out.isEmpty()) {
            throw new DpsException(FIELD, source + " lists no device");
        }
        return out;
    }

    private static String string(Map<?, ?> d, String key, String where) {
        Object v = d.get(key);
        if (!(v instanceof String)) {
            throw new DpsException(FIELD, where + " has no \"" + key + "\" string");
        }
        return (String) v;
    }

    /**
     * The DER or PEM bytes of a listed certificate: the file beside the manifest, else the entry
     * of that name in the run's archive.
     */
    static byte[] certificate(Path manifest, String file) {
        Path dir = manifest.toAbsolutePath().getParent();
        Path beside = dir.resolve(file);
        if (Files.exists(beside)) {
            return Verifier.readBytes(beside, FIELD, Verifier.MAX_CERTIFICATE_FILE);
        }
        Path archive = dir.resolve(CertificateArchive.FILE_NAME);
        if (Files.isRegularFile(archive)) {
            try (ZipFile zip = new ZipFile(archive.toFile())) {
                ZipEntry e = zip.getEntry(file);
                if (e != null) {
                    try (InputStream in = zip.getInputStream(e)) {
                        byte[] b = in.readNBytes((int) Verifier.MAX_CERTIFICATE_FILE + 1);
                        if (b.length > Verifier.MAX_CERTIFICATE_FILE) {
                            throw new DpsException(FIELD, archive + ": entry " + file + " is larger than a certificate");
                        }
                        return b;
                    }
                }
            } catch (IOException e) {
                throw new DpsException(FIELD, "cannot read " + archive + ": " + e.getMessage(), e);
            }
        }
        throw new DpsException(FIELD, manifest + " lists " + file + ", which is neither beside it nor in "
                + CertificateArchive.FILE_NAME);
    }
}
