def Fleet = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Fleet.groovy'))
Fleet.write(new File(basedir, 'fleet'), 49)
return true
