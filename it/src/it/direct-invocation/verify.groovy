// Direct invocation without a POM writes the vector's certificate into the given directory.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def vectors = new File(vectorsDir)
def out = new File(basedir, 'certs')

assert !new File(basedir, 'pom.xml').exists()
Checks.sameBytes(new File(out, 'az-ad3c8f33186bv1v0v9.pem'), new File(vectors, 'P10/az-ad3c8f33186bv1v0v9.pem'))
Checks.sameDer(new File(out, 'az-ad3c8f33186bv1v0v9-deviceid.pem'), new File(vectors, 'P10/deviceid-cert.pem'))
def manifest = new groovy.json.JsonSlurper().parse(new File(out, 'dps-manifest.json'))
assert manifest.devices.size() == 1
assert manifest.devices[0].macAddress == 'ad:3c:8f:33:18:6b'
assert manifest.devices[0].firmwareVersion == '1.0.9'
def log = Checks.log(basedir)
assert log.contains('az-ad3c8f33186bv1v0v9: ')
// the misspelt property changed nothing (one-line PEMs, the vector's bytes above) and says so, once
assert log.count('[WARNING] unknown property dps.pemlayout; did you mean dps.pemLayout?') == 1
Checks.noSecrets(basedir, ['8e202302768c65300a1825ccd4043026eed165f80da024a151ec88d3818d9a95'])
return true
