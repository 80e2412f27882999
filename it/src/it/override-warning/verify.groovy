// The build used the POM's 2.0.0, and said that -Ddps.firmwareVersion=2.1.0 was ignored and how to let it win.
def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
def log = Checks.log(basedir)
assert log.contains('BUILD SUCCESS')
def warning = '[WARNING] -Ddps.firmwareVersion is ignored: the POM configures firmwareVersion, and Maven gives the' +
        " POM's configuration precedence, so this build uses 2.0.0. To let the property win, write" +
        ' <firmwareVersion>${dps.firmwareVersion}</firmwareVersion> in the POM'
assert log.contains(warning)
assert log.count(' is ignored: ') == 1: 'only firmwareVersion is overridden'
def out = new File(basedir, 'target/dps-cli')
assert new File(out, 'az-c5590b4275a0v2v0v0.pem').isFile()
assert !new File(out, 'az-c5590b4275a0v2v1v0.pem').exists()
return true
