package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.Shard;
import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** merge-manifests maps its parameters onto ManifestMerger, reports one line, and fails naming the field. */
@MojoTest
class MergeManifestsMojoTest extends MojoTestBase {

    /** The manifest of a 5-device run, whole or one shard of it. */
    private Path run(String dir, Shard shard) {
        byte[] uds = HexFormat.of().parseHex(Fixtures.P01.uds);
        BatchRequest.Builder b = BatchRequest.builder().firmware(FirmwareFiles.of(Fixtures.FW_A_BIN, Fixtures.FW_A_MAP, null)).threads(1)
                .shard(shard).outputDirectory(tmp.resolve(dir));
        for (int i = 0; i < 5; i++) {
            byte[] own = uds.clone();
            own[0] ^= (byte) i; // a UDS of its own per device
            b.device(DeviceSpec.of(RegistrationId.of("dev-" + i), () -> Uds.fromBytes(own)));
        }
        BatchGenerator.run(b.build(), BatchListener.NONE);
        return tmp.resolve(dir).resolve("dps-manifest.json");
    }

    private MergeManifestsMojo configure(MergeManifestsMojo mojo, List<File> manifests, Path merged) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "manifests", manifests);
        MojoExtension.setVariableValueToObject(mojo, "mergedManifest", merged.toFile());
        return mojo;
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    void mergesTheShardsIntoTheWholeRunsManifest(MergeManifestsMojo mojo) throws Exception {
        Path whole = run("whole", Shard.ALL);
        Path s1 = run("s1", Shard.of(1, 2));
        Path s2 = run("s2", Shard.of(2, 2));
        Path merged = tmp.resolve("merged/dps-manifest.json");
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        configure(mojo, List.of(s2.getParent().toFile(), s1.toFile()), merged).execute();
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(merged));
        assertEquals(List.of("DPS merge-manifests: 2 shards, 5 devices merged into " + merged.getParent()),
                log.at("INFO"));
        // the whole output, not the manifest alone
        assertEquals(tree(whole.getParent()), tree(merged.getParent()));
    }

    /** Every file under {@code dir} by relative path, with its content. */
    private static Map<String, String> tree(Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    files.put(dir.relativize(p).toString(), Files.readString(p));
                }
            }
        }
        return files;
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    void mergingIntoTheDirectoryHoldingTheFleetsCertificatesKeepsEveryOne(MergeManifestsMojo mojo) throws Exception {
        Path fleet = run("fleet", Shard.ALL).getParent();
        Path s1 = run("s1", Shard.of(1, 2));
        Path s2 = run("s2", Shard.of(2, 2));
        Map<String, String> before = tree(fleet);
        assertEquals(11, before.size(), before.keySet().toString());
        MojoExtension.setVariableValueToObject(mojo, "manifests", List.of(s1.toFile(), s2.toFile()));
        MojoExtension.setVariableValueToObject(mojo, "outputDirectory", fleet.toFile());
        mojo.setLog(new CapturingLog());
        mojo.execute();
        assertEquals(before, tree(fleet));
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    @UserProperty(name = "dps.manifestOnly", value = "true")
    void theManifestAloneIsWrittenAndNothingRemoved(MergeManifestsMojo mojo) throws Exception {
        Path fleet = run("fleet", Shard.ALL).getParent();
        Path s1 = run("s1", Shard.of(1, 2));
        Path s2 = run("s2", Shard.of(2, 2));
        Map<String, String> before = tree(fleet);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        configure(mojo, List.of(s1.toFile(), s2.toFile()), fleet.resolve("dps-manifest.json")).execute();
        assertEquals(before, tree(fleet));

        Path alone = tmp.resolve("alone/fleet.json");
        configure(mojo, List.of(s1.toFile(), s2.toFile()), alone).execute();
        assertEquals(before.get("dps-manifest.json"), Files.readString(alone));
        assertEquals(List.of(alone.getFileName()), Files.list(alone.getParent()).map(Path::getFileName).toList());
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    void aMergedManifestOfAnotherNameNeedsManifestOnly(MergeManifestsMojo mojo) throws Exception {
        Path s1 = run("s1", Shard.of(1, 2));
        Path s2 = run("s2", Shard.of(2, 2));
        Path merged = tmp.resolve("merged/fleet.json");
        MojoFailureException e = assertThrows(MojoFailureException.class,
                configure(mojo, List.of(s1.toFile(), s2.toFile()), merged)::execute);
        assertTrue(e.getMessage().startsWith("mergedManifest: "), e.getMessage());
        assertTrue(e.getMessage().contains("manifestOnly=true"), e.getMessage());
        assertFalse(Files.exists(merged.getParent()));
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    void aMissingShardFailsTheBuildNamingTheParameter(MergeManifestsMojo mojo) throws Exception {
        Path s1 = run("s1", Shard.of(1, 3));
        Path merged = tmp.resolve("merged/dps-manifest.json");
        MojoFailureException e = assertThrows(MojoFailureException.class,
                configure(mojo, List.of(s1.toFile()), merged)::execute);
        assertTrue(e.getMessage().startsWith("manifests: shards 2/3, 3/3 are missing"), e.getMessage());
        assertFalse(Files.exists(merged));
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    void noManifestsIsAnErrorNotAnEmptyManifest(MergeManifestsMojo mojo) throws Exception {
        Path merged = tmp.resolve("merged/dps-manifest.json");
        MojoExtension.setVariableValueToObject(mojo, "mergedManifest", merged.toFile());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("no manifest to merge"), e.getMessage());
        assertFalse(Files.exists(merged));
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    @UserProperty(name = "dps.skip", value = "true")
    void skips(MergeManifestsMojo mojo) throws Exception {
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of("DPS merge-manifests: skipped (dps.skip)"), log.at("INFO"));
    }
}
