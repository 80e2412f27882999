// Each module of this reactor is one case of lib/Catalogue.groovy: see Catalogue.verifyModules.
def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Catalogue.verifyModules(basedir, 'catalogue-devices', new File(vectorsDir)).each { println "NOTE: $it" }
Catalogue.checkGuide(new File(projectRoot), basedir)
// no UDS in the log or in any module's target/ (outputs, manifests)
def secrets = [Catalogue.UDS_P01, Catalogue.UDS_P08, Catalogue.UDS_P10]
Checks.noSecrets(basedir, secrets)
Catalogue.cases('catalogue-devices').each { Checks.noSecrets(new File(basedir, it.id), secrets) }
return true
