import groovy.json.JsonSlurper

// the rerun: every device enrolled with its certificate, only what was left written
def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
def manifest = new JsonSlurper().parse(new File(basedir, 'target/dps/dps-manifest.json'))
for (d in manifest.devices) {
    def e = dps.stored(d.registrationId).orElseThrow()
    assert e.at('/attestation/x509/clientCertificates/primary/info/sha256Thumbprint').asText()
            .equalsIgnoreCase(d.aliasThumbprintSha256): d.registrationId
}
def writes = dps.requests().findAll { it ==~ StandIn.WRITES }
assert writes.size() >= 8 && writes.size() <= 9: dps.requests()
assert writes.every { it == 'POST /enrollments 200' }: dps.requests()
dps.resetCounts()
return true
