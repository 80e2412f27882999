// The main job: six devices of the sample firmware, compared with the reference vectors.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def vectors = new File(vectorsDir)
def out = new File(basedir, 'target/dps')

def expected = [
    'devkit-test-01'                                               : 'P01',
    'devkit-zero-uds'                                              : 'P03',
    'devkit-ff-uds'                                                : 'P05',
    'az-a0b1c2d3e4f5v1v3v7'                                        : 'P08',
    'az-a0b1c2d3e4f5v10v0v12'                                      : 'P11',
    'devkit-long-id-0123456789abcdefghijklmnopqrstuvwxyz01234567'  : 'P12',
]
expected.each { id, vector ->
    // the alias certificate is the reference tool's file, byte for byte (one-line PEM layout)
    Checks.sameBytes(new File(out, "${id}.pem"), new File(vectors, "${vector}/${id}.pem"))
    Checks.sameDer(new File(out, "${id}-deviceid.pem"), new File(vectors, "${vector}/deviceid-cert.pem"))
}

def manifest = new groovy.json.JsonSlurper().parse(new File(out, 'dps-manifest.json'))
assert manifest.format == 1
assert manifest.noncePolicy == 'devkit'
assert manifest.firmware.bin == 'fw-a.ino.bin'
assert manifest.devices*.registrationId == expected.keySet() as List
manifest.devices.each { d ->
    def pem = new File(out, d.aliasCertificate)
    assert d.aliasThumbprintSha1 == Checks.thumbprint('SHA-1', pem)
    assert d.aliasThumbprintSha256 == Checks.thumbprint('SHA-256', pem)
    assert d.deviceIdThumbprintSha1 == Checks.thumbprint('SHA-1', new File(out, d.deviceIdCertificate))
    assert d.fwid == '0148702c33f38aab1b71b0fb5f451451888cfa113b2a04a9b6443cbd008653b7'
    assert d.notBefore == '2017-01-01T00:00:00Z' && d.notAfter == '2037-01-01T00:00:00Z'
}
def auto = manifest.devices.find { it.registrationId == 'az-a0b1c2d3e4f5v10v0v12' }
assert auto.macAddress == 'a0:b1:c2:d3:e4:f5' && auto.firmwareVersion == '10.0.12'
assert manifest.devices.find { it.registrationId == 'devkit-test-01' }.macAddress == null

// attached and installed: the manifest and one pem per device
def repo = new File(localRepositoryPath, 'com/example/devkit/sample-firmware/1.0')
assert new File(repo, 'sample-firmware-1.0-dps-manifest.json').isFile()
expected.keySet().each { id ->
    Checks.sameBytes(new File(repo, "sample-firmware-1.0-dps-${id}.pem"), new File(out, "${id}.pem"))
}

def log = Checks.log(basedir)
assert log.contains('devkit-test-01: target/dps/devkit-test-01.pem (SHA-1 ')
assert log.contains('DPS certificates: 6 devices written to target/dps (nonce devkit)')
assert !log.contains('fixed ECDSA nonce'): 'the nonce warning was acknowledged in the POM'
// the 59-character ID is within DPS's 64: no warning
assert !log.contains('DPS documents 64')
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
                           '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b'])
return true
