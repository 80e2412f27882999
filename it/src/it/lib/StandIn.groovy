// A DPS stand-in for an invoker IT (loaded by its setup.groovy and verify.groovy). The stand-in
// (DpsStandIn, in dps-core's test-jar) runs in the invoker's JVM from setup to verify; the forked
// Maven reaches it through the script 'mvn-standin' that start() writes into the IT's directory and
// that the IT's invoker.properties names as invoker.mavenExecutable. That script exports
//   DPS_CONNECTION            the stand-in's service connection string
//   DPS_CONNECTION_WRONG_KEY  the same with another key (every call answers 401)
// and adds the stand-in's trust store (which also holds the JVM's default authorities) to MAVEN_OPTS,
// then runs the IT's Maven (mavenHome: -Dinvoker.mavenHome, or the Maven running the ITs).
// Several runs against one stand-in: invoker.goals.1, .2, ...; the invoker runs setup.N.groovy before
// and verify.N.groovy after run N (to inspect requests() and resetCounts()), and verify.groovy last,
// also after a failed run, so that is where stop() belongs. See it/src/it/standin-smoke.
import io.github.dpsplugin.core.enroll.standin.DpsStandIn
import io.github.dpsplugin.core.enroll.standin.StandInRegistry
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicInteger

class StandIn {

    static final String EXECUTABLE = 'mvn-standin'

    /** Starts the IT's stand-in (setup.groovy) and writes the Maven script that reaches it. */
    static DpsStandIn start(File basedir, String mavenHome) {
        File mvn = new File(mavenHome, 'bin/mvn')
        assert mvn.isFile(): "no Maven at ${mavenHome}"
        DpsStandIn dps = StandInRegistry.start(basedir.canonicalPath)
        File script = new File(basedir, EXECUTABLE)
        // the key is a throwaway of this run; the script lives as long as the IT's directory
        script.setText("""#!/bin/sh
DPS_CONNECTION='${dps.connectionString()}'
DPS_CONNECTION_WRONG_KEY='${dps.connectionStringWithWrongKey()}'
export DPS_CONNECTION DPS_CONNECTION_WRONG_KEY
MAVEN_OPTS="\${MAVEN_OPTS:-} -Djavax.net.ssl.trustStore=${dps.trustStore()} -Djavax.net.ssl.trustStorePassword=${dps.trustStorePassword()} -Djavax.net.ssl.trustStoreType=PKCS12"
export MAVEN_OPTS
exec '${mvn.canonicalPath}' "\$@"
""", 'US-ASCII')
        assert script.setExecutable(true)
        return dps
    }

    /** The IT's running stand-in (verify.groovy). */
    static DpsStandIn of(File basedir) {
        return StandInRegistry.get(basedir.canonicalPath)
                .orElseThrow { new IllegalStateException("no stand-in started for ${basedir}") }
    }

    /** Requests that change enrollments, as DpsStandIn.requests() lists them. */
    static final String WRITES = /(PUT|DELETE) .*|POST \/enrollments \d+/

    /**
     * After the stand-in has acted on the n-th request matching the pattern, and before the client
     * has its answer, kills the IT's running Maven with SIGKILL, as a crash would (Linux: finds the
     * JVM by its working directory). For a setup.N.groovy before a run with invoker.buildResult.N = failure.
     */
    static void killMavenAfter(File basedir, String requestPattern, int n) {
        DpsStandIn dps = of(basedir)
        Path dir = basedir.toPath().toRealPath()
        AtomicInteger seen = new AtomicInteger()
        dps.onEachRequest { String line ->
            if (line ==~ requestPattern && seen.incrementAndGet() == n) {
                dps.onEachRequest(null)
                def killed = ProcessHandle.current().descendants().filter { ProcessHandle p ->
                    p.info().command().map { it.endsWith('/java') }.orElse(false) && workingDirectory(p) == dir
                }.toList()
                killed.each { it.destroyForcibly() }
                killed.each { it.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS) }
                assert !killed.isEmpty(): "no Maven JVM running in ${dir}"
            }
        }
    }

    private static Path workingDirectory(ProcessHandle p) {
        try {
            return Files.readSymbolicLink(Path.of('/proc', p.pid() as String, 'cwd')).toRealPath()
        } catch (IOException | UnsupportedOperationException e) {
            return null
        }
    }

    /** Stops the IT's stand-in (end of verify.groovy). */
    static void stop(File basedir) {
        StandInRegistry.stop(basedir.canonicalPath)
    }
}
