def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def log = Checks.log(basedir)
assert log.contains('BUILD FAILURE')
assert log.contains('REGISTRATION_ID_DIFFERS: registration ID differs: the certificate\'s CN is not the expected'
        + ' registration ID; DPS matches the enrollment by it (the certificate is for \'devkit-test-01\', but'
        + ' \'devkit-test-02\' is expected)')
def cert = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dps-verify/dps-verify.json')).certificates[0]
assert cert.causes == ['REGISTRATION_ID_DIFFERS']
assert cert.expectedRegistrationId == 'devkit-test-02'
// recomputed for the certificate's own CN, it is the device's certificate: the name is the only difference
assert cert.checks.find { it.name == 'recompute' }.outcome == 'pass'
return true
