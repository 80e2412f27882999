// What the DPS stand-in holds for the output in target/dps, checked by verify.N.groovy after an enroll.
import groovy.json.JsonSlurper

class Dps {

    static String primary(e) {
        e.at('/attestation/x509/clientCertificates/primary/info/sha256Thumbprint').asText().toUpperCase(Locale.ROOT)
    }

    static String secondary(e) {
        def s = e.at('/attestation/x509/clientCertificates/secondary/info/sha256Thumbprint')
        s.isMissingNode() ? null : s.asText().toUpperCase(Locale.ROOT)
    }

    /**
     * Every device of target/dps is enrolled with its certificate as primary; in a rollout's start the
     * certificate it presents now is accepted too (the secondary of a kept ID, the old ID's enrollment
     * of a changed one); otherwise there is no secondary and no old ID left. Devices new in this release
     * ran no previous firmware: only their primary is checked. Returns the manifest.
     */
    static Object check(File basedir, dps, String step, Collection<String> added = []) {
        def manifest = new JsonSlurper().parse(new File(basedir, 'target/dps/dps-manifest.json'))
        manifest.devices.each { d ->
            def e = dps.stored(d.registrationId).orElseThrow { new AssertionError("${step}: ${d.registrationId} not enrolled") }
            assert primary(e) == d.aliasThumbprintSha256: "${step}: ${d.registrationId}: primary"
            def old = d.previousRegistrationId
            if (d.registrationId in added) {
                return
            }
            if (step == 'start' && old == null) {
                assert secondary(e) == d.previousAliasThumbprintSha256: "${step}: ${d.registrationId}: secondary"
            } else {
                assert secondary(e) == null: "${step}: ${d.registrationId}: a secondary"
            }
            if (old != null && step == 'start') {
                def o = dps.stored(old).orElseThrow { new AssertionError("${step}: ${old} gone before the finish") }
                assert primary(o) == d.previousAliasThumbprintSha256: "${step}: ${old}: primary"
            } else if (old != null) {
                assert !dps.stored(old).isPresent(): "${step}: ${old} left"
            }
        }
        def refused = dps.requests().findAll { !(it.endsWith(' 200') || it.endsWith(' 204')) }
        assert refused.isEmpty(): "${step}: ${refused}"
        dps.resetCounts()
        manifest
    }
}
