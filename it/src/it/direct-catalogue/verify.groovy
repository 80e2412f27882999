// Invocation n of invoker.properties is case n of lib/Catalogue.groovy, direct().
def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Catalogue.verifyDirect(basedir, new File(vectorsDir))
Catalogue.checkGuide(new File(projectRoot), basedir)
// invocation 4 passed a UDS with -Ddps.uds: refused, and not echoed
Checks.noSecrets(basedir, [Catalogue.UDS_P01, 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00'])
return true
