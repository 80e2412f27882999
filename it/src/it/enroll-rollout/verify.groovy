import groovy.json.JsonSlurper

def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
try {
    def log = new File(basedir, 'build.log').getText('UTF-8')
    assert !log.contains(dps.key()): 'the key is in the build log'
    def manifest = new JsonSlurper().parse(new File(basedir, 'target/dps/dps-manifest.json'))
    def byId = manifest.devices.collectEntries { [(it.registrationId): it] }
    assert byId.keySet() == ['devkit-it-01', 'az-a0b1c2d3e401v2v0v0', 'az-a0b1c2d3e402v2v0v0'] as Set
    assert byId['az-a0b1c2d3e401v2v0v0'].previousRegistrationId == 'az-a0b1c2d3e401v1v3v7'

    def settings = { e ->
        def s = e.deepCopy()
        s.remove(['attestation', 'etag', 'registrationId', 'createdDateTimeUtc', 'lastUpdatedDateTimeUtc',
                  'registrationState'])
        s
    }
    def primary = { e -> e.at('/attestation/x509/clientCertificates/primary/info/sha256Thumbprint').asText().toUpperCase() }
    // after finish: every device holds its new certificate and no secondary
    for (d in manifest.devices) {
        def e = dps.stored(d.registrationId).orElseThrow()
        assert primary(e) == d.aliasThumbprintSha256.toUpperCase(): d.registrationId
        assert e.at('/attestation/x509/clientCertificates/secondary').isMissingNode(): d.registrationId
    }
    // the kept ID kept its settings; the changed ID carried its old enrollment's
    def kept = dps.stored('devkit-it-01').orElseThrow()
    def carried = dps.stored('az-a0b1c2d3e401v2v0v0').orElseThrow()
    for (e in [kept, carried]) {
        assert e.at('/initialTwin/tags/site').asText() == 'hall 7'
        assert e.at('/initialTwin/properties/desired/interval').asInt() == 30
        assert e.get('iotHubs').get(0).asText() == 'hub-a.azure-devices.net'
        assert e.get('allocationPolicy').asText() == 'static'
        assert e.at('/reprovisionPolicy/updateHubAssignment').asBoolean()
        assert e.at('/futureSetting/mode').asText() == 'x'
    }
    assert settings(kept) == settings(carried)
    // the old IDs are gone; nothing else is left
    assert !dps.stored('az-a0b1c2d3e401v1v3v7').isPresent()
    assert !dps.stored('az-a0b1c2d3e402v1v3v7').isPresent()

    assert log.contains('DPS enroll: Enrolled 3 device(s): 1 created, 2 updated, 0 left as they were') // 1.3.7
    assert log.contains('DPS enroll: Enrolled 3 device(s): 2 created, 1 updated, 0 left as they were, 0 old') // start
    assert log.contains('DPS enroll: Enrolled 3 device(s): 0 created, 0 updated, 3 left as they were, 0 old') // again
    assert log.contains('DPS enroll: Enrolled 3 device(s): 0 created, 1 updated, 2 left as they were, 2 old enrollment(s) deleted')
    def requests = dps.requests()
    assert requests.every { it.endsWith(' 200') || it.endsWith(' 204') }: requests
} finally {
    StandIn.stop(basedir)
}
return true
