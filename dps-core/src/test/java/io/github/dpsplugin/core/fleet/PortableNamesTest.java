package io.github.dpsplugin.core.fleet;

import static io.github.dpsplugin.core.fleet.OutputFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration IDs with ':' or Windows device names get the portable names of FileNames everywhere. */
class PortableNamesTest {

    @TempDir
    Path tmp;

    @Test
    void filesArchiveEntriesManifestAndScriptUseThePortableNames() throws IOException {
        Path out = tmp.resolve("out");
        BatchGenerator.run(request(out, false, "d:dev", "con", "aux.1", "plain").build(), BatchListener.NONE);
        Set<String> expected = new TreeSet<>(List.of("d~3adev.pem", "d~3adev-deviceid.pem", "~63on.pem",
                "~63on-deviceid.pem", "~61ux.1.pem", "~61ux.1-deviceid.pem", "plain.pem", "plain-deviceid.pem"));
        Set<String> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pem"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(expected, files);
        List<String> entries = new ArrayList<>();
        try (ZipFile zip = new ZipFile(out.resolve("dps-certificates.zip").toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(entries::add);
        }
        assertEquals(expected, new TreeSet<>(entries));
        String manifest = Files.readString(out.resolve("dps-manifest.json"));
        assertTrue(manifest.contains("\"registrationId\" : \"d:dev\"") || manifest.contains("\"registrationId\": \"d:dev\""),
                manifest);
        assertTrue(manifest.contains("\"d~3adev.pem\"") && manifest.contains("\"~63on-deviceid.pem\""), manifest);
        String script = Files.readString(out.resolve("dps-enroll.sh"));
        assertTrue(script.contains("--enrollment-id='d:dev' --attestation-type x509 --certificate-path='d~3adev.pem'"),
                script);
        assertTrue(script.contains("--enrollment-id='con' --attestation-type x509 --certificate-path='~63on.pem'"),
                script);
        // the bulk bodies carry the ID itself and the certificate's text, no path
        assertTrue(Files.readString(out.resolve("dps-enrollments-0001.json")).contains("\"d:dev\""));
    }

    @Test
    void anIdWhoseFileNameIsTooLongIsRefusedBeforeAnythingIsComputed() {
        Path out = tmp.resolve("out");
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(
                request(out, false, "ok", "a" + ":".repeat(98) + "a").build(), BatchListener.NONE));
        assertEquals(DpsException.Kind.INPUT, e.kind());
        String id = "a" + ":".repeat(98) + "a";
        assertTrue(e.getMessage().startsWith("device '" + id + "': registrationId: '" + id + "' gives the file name"),
                e.getMessage());
        assertTrue(!Files.exists(out));
    }
}
