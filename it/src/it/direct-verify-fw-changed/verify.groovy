// The build fails naming the cause (the FWID differs), and the report is written all the same.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def log = Checks.log(basedir)
assert log.contains('BUILD FAILURE')
assert log.contains('1 of 1 certificate: mismatch (not what the device computes from this firmware):')
assert log.contains('RIOT_FW_CHANGED: riot_fw changed: a firmware rebuild or OTA changed the measured code; the'
        + ' enrollment must be updated (the certificate\'s FWID is 0148702c33f38aab1b71b0fb5f451451888cfa113b2a04a9b6443cbd008653b7;'
        + ' the firmware\'s riot_fw gives e4411ecb0458c3052369539dab81a2f3d3d27aa720f7bb584cf48f8a7485c7d0)')
assert log.contains('Report: target/dps-verify/dps-verify.txt')
assert !log.contains('[WARNING] 1 of 1 certificate is signed'): 'acknowledged'
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dps-verify/dps-verify.json'))
assert json.ok == false
assert json.firmware.bin == 'fw-b.ino.bin' && json.firmware.map == 'fw-b.ino.map'
assert json.uds == null
def cert = json.certificates[0]
assert cert.causes == ['RIOT_FW_CHANGED']
assert cert.checks.find { it.name == 'fwid' }.outcome == 'fail'
assert cert.checks.find { it.name == 'signature' }.outcome == 'pass'
assert cert.checks.find { it.name == 'recompute' }.outcome == 'skip'
assert new File(basedir, 'target/dps-verify/dps-verify.txt').text.contains('devkit-test-01.pem (devkit-test-01): mismatch [RIOT_FW_CHANGED]')
return true
