package io.github.dpsplugin.core.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.output.RolloutWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dps-rollout.sh} run with stand-ins for the Azure CLI. */
class RolloutScriptTest {

    @TempDir
    Path tmp;

    @Test
    void theScriptRunsStartAndFinishWithTheAzureCli() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        Path out = tmp.resolve("out");
        RolloutTest.rollout(tmp.resolve("in"), 2, 3, out);
        // a stand-in az that records its arguments, one per line, and checks that every file named exists
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("az.log");
        Path az = bin.resolve("az");
        Files.writeString(az, "#!/bin/sh\n"
                + "for a in \"$@\"; do\n"
                + "  case \"$a\" in --certificate-path=*|--secondary-certificate-path=*) [ -f \"${a#*=}\" ] || {"
                + " echo \"missing $a\" >&2; exit 3; } ;; esac\n"
                + "done\n"
                + "echo \"$*\" >> '" + log + "'\n");
        az.toFile().setExecutable(true);
        assertEquals(0, runScript(out, bin, "start"));
        List<String> start = Files.readAllLines(log);
        assertEquals(List.of(
                "iot dps enrollment update --dps-name=my-dps --resource-group=my-rg --enrollment-id=devkit-test-01"
                        + " --certificate-path=devkit-test-01.pem --secondary-certificate-path=previous/devkit-test-01.pem",
                "iot dps enrollment create --dps-name=my-dps --resource-group=my-rg --enrollment-id="
                        + "az-a0b1c2d3e4f5v2v0v0 --attestation-type x509 --certificate-path=az-a0b1c2d3e4f5v2v0v0.pem",
                "iot dps enrollment create --dps-name=my-dps --resource-group=my-rg --enrollment-id="
                        + "az-c89346000001v2v0v0 --attestation-type x509 --certificate-path=az-c89346000001v2v0v0.pem",
                "iot dps enrollment create --dps-name=my-dps --resource-group=my-rg --enrollment-id="
                        + "az-c89346000002v2v0v0 --attestation-type x509 --certificate-path=az-c89346000002v2v0v0.pem"),
                start);
        Files.delete(log);
        assertEquals(0, runScript(out, bin, "finish"));
        assertEquals(List.of(
                "iot dps enrollment update --dps-name=my-dps --resource-group=my-rg --enrollment-id=devkit-test-01"
                        + " --certificate-path=devkit-test-01.pem --remove-secondary-certificate true",
                "iot dps enrollment delete --dps-name=my-dps --resource-group=my-rg --enrollment-id=az-a0b1c2d3e4f5v1v3v7",
                "iot dps enrollment delete --dps-name=my-dps --resource-group=my-rg --enrollment-id=az-c89346000001v1v3v7",
                "iot dps enrollment delete --dps-name=my-dps --resource-group=my-rg --enrollment-id=az-c89346000002v1v3v7"),
                Files.readAllLines(log));
        Files.delete(log);
        assertEquals(2, runScript(out, bin, "bogus"));
        assertFalse(Files.exists(log));
    }

    @Test
    void theScriptEnrollsDevicesAddedSinceThePreviousRelease() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        Path out = tmp.resolve("out");
        RolloutTest.rollout(tmp.resolve("in"), 2, 3, out);
        // a stand-in az holding the enrollments: update and delete of one it does not hold exit 3, as az does
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("az.log");
        Path held = tmp.resolve("held.txt");
        // devkit-test-01 and the device of MAC c89346000002 were added since the previous release
        Files.write(held, List.of("az-a0b1c2d3e4f5v1v3v7", "az-c89346000001v1v3v7"));
        Path az = bin.resolve("az");
        Files.writeString(az, "#!/bin/sh\n"
                + "id=; for a in \"$@\"; do case \"$a\" in --enrollment-id=*) id=\"${a#*=}\" ;; esac; done\n"
                + "echo \"$4 $id\" >> '" + log + "'\n"
                + "[ -n \"${AZ_FAILS:-}\" ] && exit 1\n"
                + "case \"$4\" in\n"
                + "  update) grep -qx \"$id\" '" + held + "' || exit 3 ;;\n"
                + "  delete) grep -qx \"$id\" '" + held + "' || exit 3\n"
                + "          grep -vx \"$id\" '" + held + "' > '" + held + ".new'; mv '" + held + ".new' '" + held
                + "' ;;\n"
                + "  create) echo \"$id\" >> '" + held + "' ;;\n"
                + "esac\n");
        az.toFile().setExecutable(true);

        assertEquals(0, runScript(out, bin, "start"));
        assertEquals(List.of("update devkit-test-01", "create devkit-test-01", "create az-a0b1c2d3e4f5v2v0v0",
                "create az-c89346000001v2v0v0", "create az-c89346000002v2v0v0"), Files.readAllLines(log));
        Files.delete(log);
        assertEquals(0, runScript(out, bin, "finish"));
        assertEquals(List.of("update devkit-test-01", "delete az-a0b1c2d3e4f5v1v3v7", "delete az-c89346000001v1v3v7",
                "delete az-c89346000002v1v3v7"), Files.readAllLines(log));
        assertEquals(Set.of("devkit-test-01", "az-a0b1c2d3e4f5v2v0v0", "az-c89346000001v2v0v0",
                "az-c89346000002v2v0v0"), Set.copyOf(Files.readAllLines(held)));

        // any other failure stops the script: no enrollment is created in its place
        Files.delete(log);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", out.resolve(RolloutWriter.SCRIPT).toString(), "start")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("AZ_FAILS", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertEquals(List.of("update devkit-test-01"), Files.readAllLines(log));
    }

    private static int runScript(Path dir, Path bin, String step) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", dir.resolve(RolloutWriter.SCRIPT).toString(), step)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
