package io.github.dpsplugin.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.riot.RiotKeys;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeviceCertificateGeneratorTest {

    private static Vectors.Case p01;
    private static DeviceCertificateGenerator generator;

    @BeforeAll
    static void setUp() {
        p01 = Vectors.cases().get(0);
        assertEquals("P01", p01.id());
        generator = DeviceCertificateGenerator.forFirmware(p01.bin(), p01.map(), NoncePolicy.DEVKIT);
    }

    private static DeviceCertificates generate(DeviceCertificateGenerator g, String id, String udsHex) {
        try (Uds uds = Uds.fromHex(udsHex)) {
            return g.generate(RegistrationId.of(id), uds);
        }
    }

    private static String upperHex(String algorithm, byte[] data) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance(algorithm).digest(data)) {
            sb.append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
        return sb.toString();
    }

    @Test
    void thumbprintsAreUpperCaseHexOfTheDer() throws Exception {
        DeviceCertificates certs = generate(generator, p01.text("registrationId"), p01.text("uds"));
        assertEquals(upperHex("SHA-1", certs.aliasCertificateDer()), certs.aliasSha1Thumbprint());
        assertEquals(upperHex("SHA-256", certs.aliasCertificateDer()), certs.aliasSha256Thumbprint());
        assertEquals(upperHex("SHA-1", certs.deviceIdCertificateDer()), certs.deviceIdSha1Thumbprint());
        assertEquals(upperHex("SHA-256", certs.deviceIdCertificateDer()), certs.deviceIdSha256Thumbprint());
        assertTrue(certs.aliasSha1Thumbprint().matches("[0-9A-F]{40}"));
        assertTrue(certs.aliasSha256Thumbprint().matches("[0-9A-F]{64}"));
        // the JDK's own view of the certificate gives the same DER, hence the same thumbprint
        X509Certificate jdk = X509Parsing.parse(certs.aliasCertificateDer());
        assertEquals(upperHex("SHA-1", jdk.getEncoded()), certs.aliasSha1Thumbprint());
        assertEquals(DeviceCertificates.NOT_BEFORE, jdk.getNotBefore().toInstant());
        assertEquals(DeviceCertificates.NOT_AFTER, jdk.getNotAfter().toInstant());
        assertEquals(certs.notBefore(), jdk.getNotBefore().toInstant());
        assertEquals(certs.notAfter(), jdk.getNotAfter().toInstant());
    }

    private static List<String[]> devices(int count) {
        Random rnd = new Random(50);
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] uds = new byte[32];
            rnd.nextBytes(uds);
            out.add(new String[] {String.format(Locale.ROOT, "device-%03d", i), HexFormat.of().formatHex(uds)});
        }
        return out;
    }

    @Test
    void concurrentGenerationEqualsSequential() throws Exception {
        List<String[]> devices = devices(50);
        List<DeviceCertificates> sequential = new ArrayList<>();
        for (String[] d : devices) {
            sequential.add(generate(generator, d[0], d[1]));
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Map<Integer, DeviceCertificates>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < devices.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new Random(t));
                futures.add(pool.submit(() -> {
                    start.await();
                    Map<Integer, DeviceCertificates> results = new java.util.HashMap<>();
                    for (int i : order) {
                        results.put(i, generate(generator, devices.get(i)[0], devices.get(i)[1]));
                    }
                    return results;
                }));
            }
            start.countDown();
            for (Future<Map<Integer, DeviceCertificates>> f : futures) {
                Map<Integer, DeviceCertificates> results = f.get(120, TimeUnit.SECONDS);
                assertEquals(devices.size(), results.size());
                for (int i = 0; i < devices.size(); i++) {
                    DeviceCertificates expected = sequential.get(i);
                    DeviceCertificates actual = results.get(i);
                    assertArrayEquals(expected.aliasCertificateDer(), actual.aliasCertificateDer(), "alias " + i);
                    assertArrayEquals(expected.deviceIdCertificateDer(), actual.deviceIdCertificateDer(), "devid " + i);
                    assertArrayEquals(expected.deviceIdPublicKeyDer(), actual.deviceIdPublicKeyDer());
                    assertArrayEquals(expected.aliasPublicKey(), actual.aliasPublicKey());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // and the devices really are different
        assertNotEquals(sequential.get(0).aliasSha1Thumbprint(), sequential.get(1).aliasSha1Thumbprint());
        assertFalse(java.util.Arrays.equals(sequential.get(0).deviceIdPublicKeyDer(),
                sequential.get(1).deviceIdPublicKeyDer()));
    }

    @Test
    void sameInputsGiveTheSameBytes() {
        for (NoncePolicy policy : NoncePolicy.values()) {
            DeviceCertificateGenerator g1 = DeviceCertificateGenerator.forFirmware(p01.bin(), p01.map(), policy);
            DeviceCertificateGenerator g2 = DeviceCertificateGenerator.forFirmware(FirmwareImage.read(p01.bin(),
                    p01.map()), policy);
            DeviceCertificates a = generate(g1, "same-device", p01.text("uds"));
            DeviceCertificates b = generate(g2, "same-device", p01.text("uds").toUpperCase(Locale.ROOT));
            DeviceCertificates c = generate(g1, "same-device", p01.text("uds"));
            for (DeviceCertificates other : new DeviceCertificates[] {b, c}) {
                assertArrayEquals(a.aliasCertificateDer(), other.aliasCertificateDer(), policy.name());
                assertArrayEquals(a.deviceIdCertificateDer(), other.deviceIdCertificateDer());
                assertArrayEquals(a.deviceIdPublicKeyDer(), other.deviceIdPublicKeyDer());
                assertArrayEquals(a.aliasPublicKey(), other.aliasPublicKey());
                assertArrayEquals(a.fwid(), other.fwid());
                for (PemLayout layout : PemLayout.values()) {
                    assertEquals(a.aliasCertificatePem(layout), other.aliasCertificatePem(layout));
                    assertEquals(a.deviceIdCertificatePem(layout), other.deviceIdCertificatePem(layout));
                    assertEquals(a.deviceIdPublicKeyPem(layout), other.deviceIdPublicKeyPem(layout));
                }
            }
            assertSame(policy, a.noncePolicy());
            assertSame(policy, g1.noncePolicy());
        }
    }

    @Test
    void forMeasurementEqualsForFirmware() {
        FirmwareMeasurement m = generator.measurement();
        DeviceCertificateGenerator g = DeviceCertificateGenerator.forMeasurement(m, NoncePolicy.DEVKIT);
        assertArrayEquals(generate(generator, "x", p01.text("uds")).aliasCertificateDer(),
                generate(g, "x", p01.text("uds")).aliasCertificateDer());
    }

    @Test
    void accessorsReturnCopies() {
        DeviceCertificates certs = generate(generator, "copies", p01.text("uds"));
        byte[] der = certs.aliasCertificateDer();
        java.util.Arrays.fill(der, (byte) 0);
        assertNotEquals(0, certs.aliasCertificateDer()[0]);
        byte[] fwid = certs.fwid();
        fwid[0] ^= 1;
        assertEquals(p01.text("fwid"), certs.fwidHex());
    }

    @Test
    void theUdsStaysOpenForTheCaller() {
        try (Uds uds = Uds.fromHex(p01.text("uds"))) {
            generator.generate(RegistrationId.of("a"), uds);
            generator.generate(RegistrationId.of("b"), uds); // still usable: the generator did not close it
        }
    }

    @Test
    void nullArgumentsAreRefused() {
        try (Uds uds = Uds.fromHex(p01.text("uds"))) {
            assertThrows(NullPointerException.class, () -> generator.generate(null, uds));
            assertThrows(NullPointerException.class, () -> generator.generate(RegistrationId.of("a"), null));
        }
        assertThrows(NullPointerException.class,
                () -> DeviceCertificateGenerator.forMeasurement(generator.measurement(), null));
    }

    // ---- the results hold no secret ----

    /** Every byte[] and String reachable from {@code root} through dps-core objects. */
    private static void collect(Object root, List<byte[]> bytes, List<String> strings, Map<Object, Boolean> seen)
            throws IllegalAccessException {
        if (root == null || seen.put(root, Boolean.TRUE) != null) {
            return;
        }
        if (root instanceof byte[]) {
            bytes.add((byte[]) root);
            return;
        }
        if (root instanceof String || root instanceof Enum || root instanceof Number) {
            strings.add(root.toString());
            return;
        }
        if (!root.getClass().getName().startsWith("io.github.dpsplugin.")) {
            strings.add(root.toString());
            return;
        }
        strings.add(root.toString());
        for (Class<?> c = root.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                collect(f.get(root), bytes, strings, seen);
            }
        }
    }

    private static boolean containsSubarray(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] scalarBytes(BigInteger d) {
        byte[] raw = d.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(32, raw.length);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    @Test
    void resultsHoldNoSecret() throws Exception {
        String udsHex = p01.text("uds");
        DeviceCertificates certs = generate(generator, "no-secrets", udsHex);
        RiotKeys keys;
        byte[] cdi;
        try (Uds uds = Uds.fromHex(udsHex)) {
            keys = RiotKeys.derive(uds, generator.measurement());
            cdi = generator.measurement().cdi(uds);
        }
        byte[] udsBytes = HexFormat.of().parseHex(udsHex);
        byte[] dId = scalarBytes(keys.deviceId().privateScalar());
        byte[] dAlias = scalarBytes(keys.alias().privateScalar());
        byte[] cDigest = MessageDigest.getInstance("SHA-256").digest(cdi);
        List<byte[]> secrets = List.of(udsBytes, dId, reversed(dId), dAlias, reversed(dAlias), cdi, cDigest);

        List<String> texts = new ArrayList<>(List.of(certs.toString(), generator.toString()));
        List<byte[]> bytes = new ArrayList<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        collect(certs, bytes, texts, seen);
        collect(generator, bytes, texts, seen);
        assertTrue(bytes.size() >= 5, "found the result's byte arrays: " + bytes.size());
        for (byte[] b : bytes) {
            for (byte[] secret : secrets) {
                assertFalse(containsSubarray(b, secret), "a field holds a secret value");
            }
        }
        List<String> secretHex = new ArrayList<>();
        for (byte[] secret : secrets) {
            secretHex.add(HexFormat.of().formatHex(secret));
        }
        secretHex.add(keys.deviceId().privateScalar().toString(16));
        secretHex.add(keys.alias().privateScalar().toString(16));
        secretHex.add(keys.deviceId().privateScalar().toString());
        for (String text : texts) {
            String lower = text.toLowerCase(Locale.ROOT);
            assertFalse(lower.contains(udsHex.toLowerCase(Locale.ROOT)), text);
            for (int i = 0; i + 16 <= udsHex.length(); i++) {
                assertFalse(lower.contains(udsHex.substring(i, i + 16)), "UDS hex in: " + text);
            }
            for (String s : secretHex) {
                assertFalse(lower.contains(s), "secret in: " + text);
            }
        }
        assertTrue(certs.toString().contains("no-secrets"), certs.toString());
        assertTrue(certs.toString().contains(certs.aliasSha1Thumbprint()), certs.toString());
    }
    /**
     * Many devices with one field inversion give each device exactly what it gets alone: every
     * vector (grouped by firmware, each among random devices) and its published alias certificate, and random fleets of sizes around the workers' chunk.
     */
    @Test
    void generateAllIsGenerateForEachDevice() throws Exception {
        Random random = new Random(12);
        for (Vectors.Case c : Vectors.cases()) {
            DeviceCertificateGenerator g = DeviceCertificateGenerator.forFirmware(c.bin(), c.map(), NoncePolicy.DEVKIT);
            int n = 1 + random.nextInt(20);
            int at = random.nextInt(n);
            RegistrationId[] ids = new RegistrationId[n];
            Uds[] uds = new Uds[n];
            String[] hex = new String[n];
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[32];
                random.nextBytes(b);
                hex[i] = i == at ? c.text("uds") : HexFormat.of().formatHex(b);
                ids[i] = RegistrationId.of(i == at ? c.text("registrationId") : "device-" + i);
                uds[i] = Uds.fromHex(hex[i]);
            }
            DeviceCertificates[] all;
            try {
                all = g.generateAll(ids, uds);
            } finally {
                for (Uds u : uds) {
                    u.close();
                }
            }
            assertEquals(n, all.length);
            for (int i = 0; i < n; i++) {
                DeviceCertificates alone = generate(g, ids[i].value(), hex[i]);
                assertArrayEquals(alone.aliasCertificateDer(), all[i].aliasCertificateDer(), c.id() + " device " + i);
                assertArrayEquals(alone.deviceIdCertificateDer(), all[i].deviceIdCertificateDer(), c.id() + " device " + i);
                assertArrayEquals(alone.deviceIdPublicKeyDer(), all[i].deviceIdPublicKeyDer());
                assertArrayEquals(alone.aliasPublicKey(), all[i].aliasPublicKey());
                assertEquals(ids[i], all[i].registrationId());
            }
            // and the vector's own alias certificate, byte for byte
            assertArrayEquals(io.github.dpsplugin.core.pem.Pem.decode(io.github.dpsplugin.core.pem.Pem.CERTIFICATE,
                    java.nio.file.Files.readString(c.path("aliasCertFile"), java.nio.charset.StandardCharsets.US_ASCII)),
                    all[at].aliasCertificateDer(), c.id());
        }
        assertThrows(IllegalArgumentException.class, () -> generator.generateAll(new RegistrationId[2], new Uds[1]));
    }

    /** A worker's chunk under two firmwares, keys computed together: each device gets what it gets alone. */
    @Test
    void aChunkUnderBothFirmwaresGivesEachDeviceItsOwnCertificates() throws Exception {
        DeviceCertificateGenerator fwB = DeviceCertificateGenerator.forFirmware(Vectors.file("firmware/fw-b.ino.bin"), Vectors.file("firmware/fw-b.ino.map"), NoncePolicy.DEVKIT);
        DeviceCertificateGenerator fwA = DeviceCertificateGenerator.forFirmware(Vectors.file("firmware/fw-a.ino.bin"), Vectors.file("firmware/fw-a.ino.map"), NoncePolicy.DEVKIT);
        DeviceCertificateGenerator fwC = DeviceCertificateGenerator.forFirmware(Vectors.file("firmware/fw-c.ino.bin"), Vectors.file("firmware/fw-c.ino.map"), NoncePolicy.DEVKIT);
        int n = 20;
        int at = 7; // the vectors' device, among others
        RegistrationId[] ids = new RegistrationId[n];
        Uds[] uds = new Uds[n];
        Random random = new java.util.Random(21);
        try {
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[Uds.LENGTH];
                random.nextBytes(b);
                ids[i] = RegistrationId.of(i == at ? "devkit-test-01" : "device-" + i);
                uds[i] = i == at ? Uds.fromHex(p01.text("uds")) : Uds.fromBytes(b);
            }
            DeviceCertificates[][] fromA = fwB.generateAllWithPrevious(ids, uds, fwA, ids);
            DeviceCertificates[][] fromC = fwB.generateAllWithPrevious(ids, uds, fwC, ids);
            assertArrayEquals(vectorDer("P06/devkit-test-01.pem"), fromA[at][0].aliasCertificateDer());
            assertArrayEquals(vectorDer("P01/devkit-test-01.pem"), fromA[at][1].aliasCertificateDer());
            assertArrayEquals(vectorDer("P07/devkit-test-01.pem"), fromC[at][1].aliasCertificateDer());
            for (int i = 0; i < n; i++) {
                String device = "device " + i;
                assertArrayEquals(fwB.generate(ids[i], uds[i]).aliasCertificateDer(), fromA[i][0].aliasCertificateDer(), device);
                assertArrayEquals(fwA.generate(ids[i], uds[i]).aliasCertificateDer(), fromA[i][1].aliasCertificateDer(), device);
                assertArrayEquals(fwC.generate(ids[i], uds[i]).aliasCertificateDer(), fromC[i][1].aliasCertificateDer(), device);
                assertArrayEquals(fwC.generate(ids[i], uds[i]).deviceIdCertificateDer(), fromC[i][1].deviceIdCertificateDer(),
                        device);
            }
        } finally {
            for (Uds u : uds) {
                if (u != null) {
                    u.close();
                }
            }
        }
    }

    private static byte[] vectorDer(String file) throws Exception {
        return io.github.dpsplugin.core.pem.Pem.decode(io.github.dpsplugin.core.pem.Pem.CERTIFICATE,
                java.nio.file.Files.readString(Vectors.file(file), java.nio.charset.StandardCharsets.US_ASCII));
    }
}
