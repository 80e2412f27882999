// An encrypted settings.xml password and an environment variable both give the vectors' certificates.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def vectors = new File(vectorsDir)
def out = new File(basedir, 'target/dps')

Checks.sameBytes(new File(out, 'devkit-test-01.pem'), new File(vectors, 'P06/devkit-test-01.pem'))
Checks.sameDer(new File(out, 'devkit-test-01-deviceid.pem'), new File(vectors, 'P06/deviceid-cert.pem'))
Checks.sameBytes(new File(out, 'az-c5590b4275a0v2v0v0.pem'), new File(vectors, 'P09/az-c5590b4275a0v2v0v0.pem'))

def log = Checks.log(basedir)
assert log.contains('fixed ECDSA nonce'): 'the devkit nonce warning is shown when not acknowledged'
assert log.count('fixed ECDSA nonce') == 1
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
                           '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b'])
return true
