package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;

/**
 * A {@code -Ddps.*} property that the POM's configuration of its parameter overrides is warned
 * about, in every goal: the property, the value used and how to let the property win; a value that
 * may be a secret only by name. The configuration is the execution's, as Maven hands it to the goal
 * after building the model (a {@code ${dps.x}} in the POM already replaced by the property's value).
 */
@MojoTest
class OverriddenPropertiesTest extends MojoTestBase {

    private static List<String> warnings(CapturingLog log) {
        return log.at("WARN").stream().filter(w -> w.contains(" is ignored: ")).toList();
    }

    private static String expected(String property, String parameter, String used) {
        return "-D" + property + " is ignored: the POM configures " + parameter + ", and Maven gives the POM's"
                + " configuration precedence, so this build uses " + used + ". To let the property win, write <"
                + parameter + ">${" + property + "}</" + parameter + "> in the POM (its <properties> may give ${"
                + property + "} a default)";
    }

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.firmwareVersion", value = "2.1.0")
    @UserProperty(name = "dps.previousFirmwareVersion", value = "2.0.0")
    @UserProperty(name = "dps.pemLayout", value = "rfc7468")
    @UserProperty(name = "dps.nonce", value = "rfc6979")
    void generateWarnsForEachPropertyThePomOverrides(GenerateMojo mojo) throws Exception {
        // as Maven hands it over: firmwareVersion and previousFirmwareVersion written in the POM; pemLayout left to
        // its property (the descriptor's ${dps.pemLayout}); nonce written as ${dps.nonce} (already replaced)
        execution(mojo, "generate", configuration("firmwareVersion", "2.0.0", "previousFirmwareVersion", "1.3.7",
                "pemLayout", "${dps.pemLayout}", "nonce", "rfc6979", "outputDirectory", "target/dps"));
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(expected("dps.firmwareVersion", "firmwareVersion", "2.0.0"),
                expected("dps.previousFirmwareVersion", "previousFirmwareVersion", "1.3.7")), warnings(log), log.all());
    }

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.udsFile", value = "uds.csv, uds-added.csv")
    void aListInThePomIsComparedAsAList(GenerateMojo mojo) throws Exception {
        Xpp3Dom files = new Xpp3Dom("udsFiles");
        for (String f : new String[] {"uds.csv", "uds-added.csv"}) {
            Xpp3Dom item = new Xpp3Dom("udsFile");
            item.setValue(f);
            files.addChild(item);
        }
        Xpp3Dom c = new Xpp3Dom("configuration");
        c.addChild(files);
        execution(mojo, "generate", c);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(), warnings(log), log.all());

        files.getChild(1).setValue("uds-old.csv");
        mojo.execute();
        assertEquals(List.of(expected("dps.udsFile", "udsFile", "uds.csv,uds-old.csv")), warnings(log), log.all());
    }

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.udsEnv", value = "UDS_OF_THIS_BUILD")
    void aValueThatLooksLikeASecretIsNotPrinted(GenerateMojo mojo) throws Exception {
        execution(mojo, "generate", configuration("udsEnv", Fixtures.P01_UDS_CONSTANT));
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(expected("dps.udsEnv", "udsEnv", "a value not shown here (it may be a secret)")),
                warnings(log));
        assertFalse(log.all().contains(Fixtures.P01_UDS_CONSTANT));
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.manifest", value = "release-2/dps-manifest.json")
    void verifyWarnsToo(VerifyMojo mojo) throws Exception {
        execution(mojo, "verify", configuration("manifest", "release-1/dps-manifest.json"));
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(expected("dps.manifest", "manifest", "release-1/dps-manifest.json")), warnings(log));
    }

    @Test
    @InjectMojo(goal = "generate-uds")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.udsFile", value = "secrets/uds-added.csv")
    void generateUdsWarnsToo(GenerateUdsMojo mojo) throws Exception {
        execution(mojo, "generate-uds", configuration("udsFile", "secrets/uds.csv"));
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(expected("dps.udsFile", "udsFile", "secrets/uds.csv")), warnings(log));
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.mergedManifest", value = "b.json")
    void mergeManifestsWarnsToo(MergeManifestsMojo mojo) throws Exception {
        execution(mojo, "merge-manifests", configuration("mergedManifest", "a.json"));
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of(expected("dps.mergedManifest", "mergedManifest", "a.json")), warnings(log));
    }
}
