package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.plugin.logging.Log;

/** Shared test data (the dps-core reference vectors) and helpers for the harness tests. */
final class Fixtures {

    /** The dps-core reference vectors, used in place (nothing copied). */
    static final Path VECTORS = Path.of(MojoExtension.getBasedir())
            .resolve("../dps-core/src/test/resources/vectors").toAbsolutePath().normalize();
    static final Path FW_A_BIN = VECTORS.resolve("firmware/fw-a.ino.bin");
    static final Path FW_A_MAP = VECTORS.resolve("firmware/fw-a.ino.map");

    /** As {@code @MojoParameter} values (evaluated by the harness against the module basedir). */
    static final String FW_A_BIN_PARAM = "${basedir}/../dps-core/src/test/resources/vectors/firmware/fw-a.ino.bin";
    static final String FW_A_MAP_PARAM = "${basedir}/../dps-core/src/test/resources/vectors/firmware/fw-a.ino.map";

    /**
     * P01's UDS as a compile-time constant, for annotation values only ({@link #P01} reads it from
     * cases.json and {@code FixturesTest} checks that both agree).
     */
    static final String P01_UDS_CONSTANT = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /** Settings servers and environment variables every test session has (see {@link MojoTestBase}). */
    static final String SERVER_P01 = "dps-p01";
    static final String SERVER_P08 = "dps-p08";
    static final String ENV_P08 = "DPS_TEST_UDS_P08";
    /** A variable no test sets (checked to be absent from the real environment too). */
    static final String ENV_UNSET = "DPS_TEST_UNSET_7F3A91";

    static final VectorCase P01 = VectorCase.load("P01");
    static final VectorCase P08 = VectorCase.load("P08");
    static final VectorCase P11 = VectorCase.load("P11");

    private Fixtures() {
    }

    /** One case of cases.json (only the string fields the tests use). */
    static final class VectorCase {
        final String id;
        final String uds;
        final String registrationId;
        final String mac;
        final String firmwareVersion;
        final String firmware;
        final Path aliasCertFile;
        final Path deviceIdCertFile;

        private VectorCase(String id, Map<String, String> f) {
            this.id = id;
            this.uds = f.get("uds");
            this.registrationId = f.get("registrationId");
            this.mac = f.get("mac");
            this.firmwareVersion = f.get("firmwareVersion");
            this.firmware = f.get("firmware");
            this.aliasCertFile = VECTORS.resolve(f.get("aliasCertFile"));
            this.deviceIdCertFile = VECTORS.resolve(f.get("deviceIdCertFile"));
        }

        static VectorCase load(String id) {
            String json = read(VECTORS.resolve("cases.json"));
            int cases = json.indexOf("\"cases\"");
            int start = json.indexOf("\"id\": \"" + id + "\"", cases);
            if (cases < 0 || start < 0) {
                throw new IllegalStateException("case " + id + " not in cases.json");
            }
            int end = json.indexOf("\"id\": \"", start + 1);
            String entry = json.substring(start, end < 0 ? json.length() : end);
            Map<String, String> fields = new HashMap<>();
            Matcher m = Pattern.compile("\"(\\w+)\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(entry);
            while (m.find()) {
                fields.putIfAbsent(m.group(1), m.group(2));
            }
            return new VectorCase(id, fields);
        }
    }

    // ---- secrets -------------------------------------------------------------------------------

    /** Every UDS value the tests use, in lower and upper case, plus the 63-character prefix one. */
    static List<String> secrets() {
        List<String> s = new ArrayList<>();
        for (String uds : new String[] {P01.uds, P08.uds, P11.uds, P01.uds.substring(0, 63)}) {
            s.add(uds.toLowerCase(Locale.ROOT));
            s.add(uds.toUpperCase(Locale.ROOT));
        }
        return s;
    }

    static void assertNoSecret(String what, String text) {
        if (text == null) {
            return;
        }
        for (String secret : secrets()) {
            assertFalse(text.contains(secret), () -> what + " contains a UDS: " + text);
        }
    }

    // ---- certificates ---------------------------------------------------------------------------

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The DER inside a one-block CERTIFICATE PEM file, decoded independently of dps-core. */
    static byte[] der(Path pem) {
        String text = read(pem);
        int b = text.indexOf("-----BEGIN CERTIFICATE-----");
        int e = text.indexOf("-----END CERTIFICATE-----");
        assertFalse(b < 0 || e < b, () -> pem + " is not a CERTIFICATE PEM");
        String body = text.substring(b + "-----BEGIN CERTIFICATE-----".length(), e);
        return Base64.getMimeDecoder().decode(body);
    }

    /**
     * The JDK's reading of the certificate; Bouncy Castle's only where the JDK refuses the DevKit's
     * subjectAltName otherName (no inner [0] EXPLICIT: JDK 25 refuses it, JDK 17 reads it).
     */
    static X509Certificate certificate(Path pem) {
        try {
            try {
                return (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(bytes(pem)));
            } catch (java.security.cert.CertificateParsingException e) {
                if (!String.valueOf(e.getMessage()).contains("EXPLICTly tagged [0]")) {
                    throw e;
                }
                return (X509Certificate) CertificateFactory.getInstance("X.509",
                        new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .generateCertificate(new ByteArrayInputStream(bytes(pem)));
            }
        } catch (CertificateException e) {
            throw new AssertionError(pem + " is not a certificate the JDK reads", e);
        }
    }

    /** Upper-case hex digest, as the Azure portal shows thumbprints. */
    static String thumbprint(String algorithm, byte[] der) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance(algorithm).digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- output directory -----------------------------------------------------------------------

    /** Relative path → content digest of every file and directory below {@code dir} (hidden ones too). */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(dir)) {
            m.put("", "<absent>");
            return m;
        }
        if (!Files.isDirectory(dir)) {
            m.put("", "file " + thumbprint("SHA-256", bytes(dir)));
            return m;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(p -> m.put(dir.relativize(p).toString().replace('\\', '/'),
                    Files.isDirectory(p) ? "<dir>" : thumbprint("SHA-256", bytes(p))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** Writes what a previous run would have left: a certificate and a manifest. */
    static void previousRun(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(P01.registrationId + ".pem"), "previous run's certificate\n");
            Files.writeString(dir.resolve("dps-manifest.json"), "{\"previous\": true}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertSnapshot(Map<String, String> expected, Path dir) {
        assertEquals(expected, snapshot(dir), "the output directory changed");
    }

    // ---- logging --------------------------------------------------------------------------------

    /** A Maven Log that records every line (debug enabled), as {@code LEVEL message}. */
    static final class CapturingLog implements Log {
        final List<String> lines = new ArrayList<>();

        List<String> at(String level) {
            List<String> r = new ArrayList<>();
            for (String l : lines) {
                if (l.startsWith(level + " ")) {
                    r.add(l.substring(level.length() + 1));
                }
            }
            return r;
        }

        String all() {
            return String.join("\n", lines);
        }

        private void add(String level, CharSequence content, Throwable error) {
            StringBuilder sb = new StringBuilder(level).append(' ');
            if (content != null) {
                sb.append(content);
            }
            for (Throwable t = error; t != null; t = t.getCause()) {
                sb.append(" | ").append(t);
            }
            lines.add(sb.toString());
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public void debug(CharSequence content) {
            add("DEBUG", content, null);
        }

        @Override
        public void debug(CharSequence content, Throwable error) {
            add("DEBUG", content, error);
        }

        @Override
        public void debug(Throwable error) {
            add("DEBUG", null, error);
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public void info(CharSequence content) {
            add("INFO", content, null);
        }

        @Override
        public void info(CharSequence content, Throwable error) {
            add("INFO", content, error);
        }

        @Override
        public void info(Throwable error) {
            add("INFO", null, error);
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public void warn(CharSequence content) {
            add("WARN", content, null);
        }

        @Override
        public void warn(CharSequence content, Throwable error) {
            add("WARN", content, error);
        }

        @Override
        public void warn(Throwable error) {
            add("WARN", null, error);
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public void error(CharSequence content) {
            add("ERROR", content, null);
        }

        @Override
        public void error(CharSequence content, Throwable error) {
            add("ERROR", content, error);
        }

        @Override
        public void error(Throwable error) {
            add("ERROR", null, error);
        }
    }
}
