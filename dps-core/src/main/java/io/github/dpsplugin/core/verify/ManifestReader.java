package io.github.dpsplugin.core.verify;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.io.JsonIo;
import io.github.dpsplugin.core.output.CertificateArchive;
import io.github.dpsplugin.core.output.ManifestWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The alias certificates listed in a {@code dps-manifest.json} written by {@code generate}: each
 * device's {@code aliasCertificate} file (beside the manifest, or in the run's
 * {@code dps-certificates.zip} when only the archive was written) with its {@code registrationId}.
 * The manifest is read as a stream, one device at a time, so its size does not bound a fleet.
 */
public final class ManifestReader {

    private static final String FIELD = "manifest";
    /** Jackson's location inside its messages ("[Source: ...; line: 1, column: 13]"), to be shown as ours. */
    private static final Pattern JACKSON_LOCATION =
            Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");

    /** One listed device. */
    public static final class Entry {
        final String file;
        final RegistrationId registrationId;
        private final java.util.Map<String, String> strings;

        Entry(String file, RegistrationId registrationId, java.util.Map<String, String> strings) {
            this.file = file;
            this.registrationId = registrationId;
            this.strings = strings;
        }

        /** The alias certificate's file name, beside the manifest or in the archive. */
        public String file() {
            return file;
        }

        public RegistrationId registrationId() {
            return registrationId;
        }

        /** Another string field of the device's entry (e.g. {@code aliasThumbprintSha1}), or {@code null}. */
        public String string(String name) {
            return strings.get(name);
        }
    }

    private ManifestReader() {
    }

    /**
     * Reads {@code manifest}, handing each listed device to {@code each} as it is read; returns how
     * many. Errors, including malformed JSON (with its line and column), are {@link DpsException}s
     * for {@code manifest} naming the file.
     */
    public static long read(Path manifest, Consumer<Entry> each) {
        String source = manifest.toString();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader in = new InputStreamReader(Verifier.open(manifest, FIELD), utf8);
                JsonParser p = JsonIo.parser(in)) {
            return document(p, manifest, each);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw notJson(source, at == null ? JsonLocation.NA : at, e.getOriginalMessage());
        } catch (CharacterCodingException e) {
            throw new DpsException(FIELD, source + " is not UTF-8 text");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static long document(JsonParser p, Path manifest, Consumer<Entry> each) throws IOException {
        String source = manifest.toString();
        JsonToken root = p.nextToken();
        if (root == null) {
            throw notJson(source, p.currentLocation(), "the file is empty");
        }
        if (root != JsonToken.START_OBJECT) {
            throw new DpsException(FIELD, source + " is not a dps-manifest.json (no JSON object)");
        }
        long devices = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("format")) {
                format(p, value, source);
            } else if (name.equals("devices") && value == JsonToken.START_ARRAY) {
                devices = devices(p, manifest, each);
            } else if (name.equals("devices")) {
                throw noDevices(source);
            } else {
                p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw notJson(source, p.currentTokenLocation(), "unexpected text after the JSON document");
        }
        if (devices < 0) {
            throw noDevices(source);
        }
        if (devices == 0) {
            throw new DpsException(FIELD, source + " lists no device");
        }
        return devices;
    }

    private static void format(JsonParser p, JsonToken value, String source) throws IOException {
        if (value == JsonToken.VALUE_NULL || (value.isNumeric() && p.getDoubleValue() == ManifestWriter.FORMAT)) {
            return;
        }
        String shown = value.isScalarValue() ? p.getText() : value == JsonToken.START_OBJECT ? "{...}" : "[...]";
        throw new DpsException(FIELD, source + " has format " + shown + "; this plugin reads manifest format "
                + ManifestWriter.FORMAT);
    }

    /** The devices array, from its first element to its end; returns how many. */
    private static long devices(JsonParser p, Path manifest, Consumer<Entry> each) throws IOException {
        String source = manifest.toString();
        // a device listed twice would be reported twice (a manifest repeating one device a million times fills
        // the disk with reports): refused, naming both positions
        SeenIds seen = new SeenIds();
        long i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            String where = source + ": devices[" + i + "]";
            if (t != JsonToken.START_OBJECT) {
                throw new DpsException(FIELD, where + " is not an object");
            }
            String id = null;
            String file = null;
            java.util.Map<String, String> strings = new java.util.HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && name.equals("registrationId")) {
                    id = p.getText();
                } else if (value == JsonToken.VALUE_STRING && name.equals("aliasCertificate")) {
                    file = p.getText();
                } else if (value == JsonToken.VALUE_STRING && kept(name)) {
                    strings.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
            Entry e = entry(id, file, strings, where);
            long first = seen.add(e.registrationId.value(), i);
            if (first >= 0) {
                String earlier = idAt(manifest, first);
                if (!e.registrationId.value().equals(earlier)) {
                    seen.addExact(e.registrationId.value(), i, earlier, first); // two IDs, one digest prefix
                    first = -1;
                }
            }
            if (first >= 0) {
                throw new DpsException(FIELD, where + ": registration ID '" + e.registrationId + "' is listed twice,"
                        + " at devices[" + first + "] and devices[" + i + "]; generate lists each device once: is the"
                        + " manifest edited or put together from several?");
            }
            each.accept(e);
        }
        return i;
    }

    /** The fields other than the ID and file an entry keeps: short, public strings. */
    private static boolean kept(String name) {
        switch (name) {
            case "aliasThumbprintSha1", "aliasThumbprintSha256", "previousRegistrationId", "previousAliasCertificate",
                    "previousAliasThumbprintSha1", "previousAliasThumbprintSha256":
                return true;
            default:
                return false;
        }
    }

    /** The registration ID at {@code index} of the manifest, read again (only to confirm a suspected repetition). */
    private static String idAt(Path manifest, long index) {
        String[] found = new String[1];
        long[] n = {0};
        try {
            read(manifest, e -> {
                if (n[0]++ == index) {
                    found[0] = e.registrationId.value();
                    throw new Found();
                }
            });
        } catch (Found stop) {
            return found[0];
        }
        throw new IllegalStateException("devices[" + index + "] of " + manifest + " has gone");
    }

    /** Ends a reading early. */
    private static final class Found extends RuntimeException {
        Found() {
            super(null, null, false, false);
        }
    }

    private static Entry entry(String id, String file, java.util.Map<String, String> strings, String where) {
        if (id == null) {
            throw missing("registrationId", where);
        }
        if (file == null) {
            throw missing("aliasCertificate", where);
        }
        if (file.isEmpty() || file.equals(".") || file.equals("..") || file.contains("/") || file.contains("\\")) {
            throw new DpsException(FIELD, where + ".aliasCertificate '" + file + "' is not a file name; the"
                    + " manifest lists certificates by name, beside it");
        }
        try {
            return new Entry(file, RegistrationId.of(id), strings.isEmpty() ? java.util.Map.of() : strings);
        } catch (DpsException e) {
            throw new DpsException(FIELD, where + ".registrationId: " + e.getMessage());
        }
    }

    private static DpsException missing(String key, String where) {
        return new DpsException(FIELD, where + " has no \"" + key + "\" string");
    }

    private static DpsException noDevices(String source) {
        return new DpsException(FIELD, source + " has no \"devices\" list; is it a dps-manifest.json?");
    }

    private static DpsException notJson(String source, JsonLocation at, String what) {
        return new DpsException(FIELD, source + " is not valid JSON (line " + at.getLineNr() + ", column "
                + at.getColumnNr() + "): " + JACKSON_LOCATION.matcher(what).replaceAll("line $1, column $2"));
    }

    /**
     * The certificates a manifest lists, read one by one: each from the file beside the manifest,
     * else from the run's archive, which is opened once (on first need) and read by entry name, so
     * a fleet's archive costs one open however many devices it holds. Close it after the run.
     */
    public static final class Certificates implements AutoCloseable {
        private final Path manifest;
        private final Path dir;
        private ZipFile zip;
        private int archiveOpens;

        public Certificates(Path manifest) {
            this.manifest = manifest;
            this.dir = manifest.toAbsolutePath().getParent();
        }

        /** The DER or PEM bytes of listed certificate {@code file}. */
        public byte[] read(String file) {
            Path beside = dir.resolve(file);
            if (Files.exists(beside, LinkOption.NOFOLLOW_LINKS)) {
                return Verifier.readBytes(beside, FIELD, Verifier.MAX_CERTIFICATE_FILE);
            }
            Path archive = dir.resolve(CertificateArchive.FILE_NAME);
            try {
                if (zip == null && Files.isRegularFile(archive)) {
                    zip = new ZipFile(archive.toFile());
                    archiveOpens++;
                }
                ZipEntry e = zip == null ? null : zip.getEntry(file);
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
                throw DpsException.environment(FIELD, "cannot read " + archive + ": " + e.getMessage(), e);
            }
            throw new DpsException(FIELD, manifest + " lists " + file + ", which is neither beside it nor in "
                    + CertificateArchive.FILE_NAME);
        }

        /** How many times the archive was opened (at most once). */
        int archiveOpens() {
            return archiveOpens;
        }

        @Override
        public void close() {
            if (zip != null) {
                try {
                    zip.close();
                } catch (IOException e) {
                    // read-only; nothing was lost
                }
                zip = null;
            }
        }
    }
}
