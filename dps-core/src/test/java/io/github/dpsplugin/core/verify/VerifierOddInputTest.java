package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.StagedOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** verify on input a user would not make but an attacker, an accident or a kill -9 can. */
class VerifierOddInputTest {

    private static final String P01_UDS = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final Path P01_PEM = Vectors.file("P01/devkit-test-01.pem");
    private static final Path P02_PEM = Vectors.file("P02/devkit-test-01.pem");

    @TempDir
    Path tmp;

    private static VerifyRequest.Builder fwA() {
        return VerifyRequest.builder().firmware(FirmwareFiles.of(Vectors.file("firmware/fw-a.ino.bin"),
                Vectors.file("firmware/fw-a.ino.map"), null));
    }

    /** Each device its own UDS (generate refuses one UDS for two devices): P01's, hashed with the ID. */
    private static String udsOf(String id) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(P01_UDS.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.HexFormat.of().formatHex(sha.digest(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private Path generate(String dir, String... ids) {
        BatchRequest.Builder b = BatchRequest.builder().firmware(FirmwareFiles.of(Vectors.file("firmware/fw-a.ino.bin"),
                Vectors.file("firmware/fw-a.ino.map"), null)).outputDirectory(tmp.resolve(dir));
        for (String id : ids) {
            b.device(DeviceSpec.of(RegistrationId.of(id), () -> Uds.fromHex(udsOf(id))));
        }
        BatchGenerator.run(b.build(), BatchListener.NONE);
        return tmp.resolve(dir).resolve("dps-manifest.json");
    }

    @Test
    void aDeviceListedTwiceIsRefusedNamingBothPositions() throws Exception {
        Path manifest = generate("dup", "dev-a", "dev-b", "dev-c");
        String text = Files.readString(manifest).replace("\"registrationId\": \"dev-c\"",
                "\"registrationId\": \"dev-a\"").replace("\"dev-c.pem\"", "\"dev-a.pem\"");
        Files.writeString(manifest, text);
        Path reports = tmp.resolve("reports");
        DpsException e = assertThrows(DpsException.class, () -> Verifier.run(fwA().manifest(manifest).build(),
                reports, c -> { }));
        assertEquals("manifest", e.field());
        assertTrue(e.getMessage().contains("registration ID 'dev-a' is listed twice, at devices[0] and devices[2]"),
                e.getMessage());
        assertFalse(Files.exists(reports), "no report is left");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFifoIsRefusedWithoutBeingOpened() throws Exception {
        Path fifo = tmp.resolve("device.pem");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo is available");
        DpsException e = assertThrows(DpsException.class, () -> Verifier.run(fwA().certificate(fifo).build()));
        assertTrue(e.getMessage().contains(fifo + " is not a regular file"), e.getMessage());

        // listed by a manifest: the same
        Path manifest = generate("fifo", "dev-a", "dev-b");
        Path listed = manifest.resolveSibling("dev-b.pem");
        Files.delete(listed);
        assumeTrue(new ProcessBuilder("mkfifo", listed.toString()).start().waitFor() == 0);
        e = assertThrows(DpsException.class, () -> Verifier.run(fwA().manifest(manifest).build()));
        assertTrue(e.getMessage().contains(listed + " is not a regular file"), e.getMessage());
    }

    @Test
    void aPemFileWithAnythingAfterItsCertificateIsNotAMatch() throws Exception {
        String valid = Files.readString(P01_PEM);
        String tampered = Files.readString(P02_PEM).replace('A', 'B');
        for (String[] c : new String[][] {
                {valid + tampered, "2 PEM blocks"},
                {valid + valid, "2 PEM blocks"},
                {valid + "trailing text\n", "data after the CERTIFICATE block"},
                {"note\n" + valid, "text before the CERTIFICATE block"},
                {valid + "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", "2 PEM blocks"}}) {
            Path f = tmp.resolve("c" + Math.abs(c[0].hashCode()) + ".pem");
            Files.writeString(f, c[0]);
            VerifyReport r = Verifier.run(fwA().certificate(f).build());
            assertFalse(r.ok(), c[1]);
            assertEquals(Set.of(Cause.NOT_A_CERTIFICATE), r.certificates().get(0).causes());
            assertTrue(r.text().contains(c[1]), r.text());
        }
        // the valid certificate alone, with CRLF line ends and a trailing blank line, still matches
        Path crlf = tmp.resolve("crlf.pem");
        Files.writeString(crlf, valid.replace("\n", "\r\n") + "\r\n");
        assertTrue(Verifier.run(fwA().certificate(crlf).build()).ok());
    }

    @Test
    void anInterruptedPublishIsNamedInsteadOfReportingMismatches() throws Exception {
        Path manifest = generate("killed", "dev-a", "dev-b");
        Files.writeString(manifest.resolveSibling(StagedOutput.JOURNAL), "dps-publish 1\n.dps-staging-x\n");
        DpsException e = assertThrows(DpsException.class, () -> Verifier.run(fwA().manifest(manifest).build()));
        assertEquals("manifest", e.field());
        assertTrue(e.getMessage().contains(StagedOutput.JOURNAL + ", the journal of a generate run whose publishing"
                + " was interrupted"), e.getMessage());
        assertTrue(e.getMessage().contains("Run generate again"), e.getMessage());
    }

    @Test
    void staleTemporaryReportFilesAreRemovedAtStart() throws Exception {
        Path manifest = generate("tmpfiles", "dev-a");
        Path reports = Files.createDirectories(tmp.resolve("reports"));
        Path staleText = Files.writeString(reports.resolve(".dps-verify.txt123.body.tmp"), "x".repeat(1000));
        Path staleJson = Files.writeString(reports.resolve(".dps-verify.json456.tmp"), "{");
        Path mine = Files.writeString(reports.resolve(".dps-verify-notes.tmp"), "not ours");
        Verifier.run(fwA().manifest(manifest).build(), reports, c -> { });
        assertFalse(Files.exists(staleText));
        assertFalse(Files.exists(staleJson));
        assertTrue(Files.exists(mine), "a file not of that form stays");
        try (var s = Files.list(reports)) {
            assertEquals(Set.of("dps-verify.txt", "dps-verify.json", ".dps-verify-notes.tmp"),
                    s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }
}
