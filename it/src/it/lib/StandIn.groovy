// A DPS stand-in for an invoker IT (loaded by its setup.groovy and verify.groovy). The stand-in
// (DpsStandIn, in dps-core's test-jar) runs in the invoker's JVM from setup to verify; the forked
// Maven reaches it through the script 'mvn-standin' that start() writes into the IT's directory and
// that the IT's invoker.properties names as invoker.mavenExecutable. That script exports
//   DPS_CONNECTION            the stand-in's service connection string
//   DPS_CONNECTION_WRONG_KEY  the same with another key (every call answers 401)
// and adds the stand-in's trust store (which also holds the JVM's default authorities) to MAVEN_OPTS,
// then runs the IT's Maven (mavenHome: -Dinvoker.mavenHome, or the Maven running the ITs).
import io.github.dpsplugin.core.enroll.standin.DpsStandIn
import io.github.dpsplugin.core.enroll.standin.StandInRegistry

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

    /** Stops the IT's stand-in (end of verify.groovy). */
    static void stop(File basedir) {
        StandInRegistry.stop(basedir.canonicalPath)
    }
}
