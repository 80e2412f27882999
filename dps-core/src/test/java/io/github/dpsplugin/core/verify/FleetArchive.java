package io.github.dpsplugin.core.verify;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dpsplugin.core.io.JsonIo;
import io.github.dpsplugin.core.output.CertificateArchive;
import io.github.dpsplugin.core.output.ManifestWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** An archive-only fleet as generate leaves it: a manifest listing n devices and dps-certificates.zip. */
final class FleetArchive {

    private FleetArchive() {
    }

    static String id(int i) {
        return "device-" + i;
    }

    /** Writes the manifest and the archive into {@code dir}; entry i holds {@code content.apply(i)}. */
    static Path write(Path dir, int n, IntFunction<byte[]> content) throws IOException {
        Files.createDirectories(dir);
        Path manifest = dir.resolve(ManifestWriter.FILE_NAME);
        try (OutputStream out = Files.newOutputStream(manifest); JsonGenerator g = JsonIo.generator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", ManifestWriter.FORMAT);
            g.writeArrayFieldStart("devices");
            for (int i = 0; i < n; i++) {
                g.writeStartObject();
                g.writeStringField("registrationId", id(i));
                g.writeStringField("aliasCertificate", id(i) + ".pem");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve(CertificateArchive.FILE_NAME)))) {
            for (int i = 0; i < n; i++) {
                zip.putNextEntry(new ZipEntry(id(i) + ".pem"));
                zip.write(content.apply(i));
                zip.closeEntry();
            }
        }
        return manifest;
    }
}
