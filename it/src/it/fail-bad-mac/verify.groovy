def Checks = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Checks.groovy'))
Checks.failedCleanly(basedir, ["device #2 of <devices>: macAddress: 'a0:b1:c2:d3:e4' is not a MAC address"])
return true
