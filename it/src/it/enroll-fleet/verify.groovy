import groovy.json.JsonSlurper

def StandIn = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'StandIn.groovy'))
def dps = StandIn.of(basedir)
try {
    def log = new File(basedir, 'build.log').getText('UTF-8')
    assert !log.contains(dps.key()): 'the key is in the build log'
    def manifest = new JsonSlurper().parse(new File(basedir, 'target/dps/dps-manifest.json'))
    def ids = manifest.devices*.registrationId
    assert ids.size() == 4 && ids.contains('az-a0b1c2d3e401v1v3v7')
    for (d in manifest.devices) {
        def stored = dps.stored(d.registrationId).orElseThrow()
        assert stored.at('/attestation/x509/clientCertificates/primary/info/sha256Thumbprint').asText()
                .equalsIgnoreCase(d.aliasThumbprintSha256): d.registrationId
        def pem = new File(basedir, 'target/dps/' + d.aliasCertificate).getText('US-ASCII')
        assert dps.storedPrimaryPem(d.registrationId).orElseThrow().strip() == pem.strip()
    }
    // the update changed the certificate only
    def e = dps.stored('devkit-it-01').orElseThrow()
    assert e.get('deviceId').asText() == 'kitchen-sensor'
    assert e.at('/initialTwin/tags/site').asText() == 'hall 7'
    assert e.at('/initialTwin/properties/desired/interval').decimalValue() == 0.125
    assert e.get('iotHubs').size() == 2
    assert e.get('allocationPolicy').asText() == 'custom'
    assert e.at('/customAllocationDefinition/webhookUrl').asText() == 'https://alloc.example/api'
    assert e.at('/reprovisionPolicy/migrateDeviceData').asBoolean()
    assert e.at('/capabilities/iotEdge').asBoolean()
    assert e.get('provisioningStatus').asText() == 'disabled'
    assert e.at('/optionalDeviceInformation/model').asText() == 'AZ3166'
    assert e.at('/futureSetting/mode').asText() == 'x'
    def foreign = dps.stored('someone-elses').orElseThrow()
    assert foreign.at('/initialTwin/tags/team').asText() == 'other'
    assert !foreign.at('/attestation/x509/clientCertificates/primary/info/subjectName').asText().contains('devkit')

    // run 1: one page read, one bulk create, one bulk update; runs 2 and 3 read only; run 4 is refused
    def requests = dps.requests()
    def writes = requests.findAll { !it.startsWith('POST /enrollments/query') }
    assert writes.findAll { !it.endsWith(' 401') } == ['POST /enrollments 200', 'POST /enrollments 200']: requests
    assert requests.count { it == 'POST /enrollments/query 200' } == 3: requests
    assert requests.last() == 'POST /enrollments/query 401': requests
    assert requests.count { it.endsWith(' 401') } == 1: 'a 401 is not retried: ' + requests
    assert log.contains('DPS enroll: Enrolled 4 device(s): 3 created, 1 updated, 0 left as they were')
    assert log.contains('DPS enroll: Enrolled 4 device(s): 0 created, 0 updated, 4 left as they were')
    assert log.contains('DPS enroll: Dry run, nothing is written. Plan: 4 device(s): 0 to create, 0 to update, 4 left')
    assert log.contains('[DEBUG] DPS enroll: device \'devkit-it-01\': update \'devkit-it-01\' (primary certificate differs)')
    assert log.contains('environment variable DPS_CONNECTION_WRONG_KEY (HTTP 401)')
} finally {
    StandIn.stop(basedir)
}
return true
