// With -X the log is long and detailed, yet holds neither UDS, in any case, nor does any output.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def vectors = new File(vectorsDir)
def out = new File(basedir, 'target/dps')
def log = Checks.log(basedir)
assert log.contains('[DEBUG]')
assert log.contains('firmware measured: riot_core 587 bytes')
Checks.sameBytes(new File(out, 'devkit-test-01.pem'), new File(vectors, 'P06/devkit-test-01.pem'))
Checks.sameBytes(new File(out, 'az-c5590b4275a0v2v0v0.pem'), new File(vectors, 'P09/az-c5590b4275a0v2v0v0.pem'))
Checks.noSecrets(basedir, ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
                           '47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b'])
return true
