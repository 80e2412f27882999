def Catalogue = new GroovyClassLoader(getClass().classLoader).parseClass(new File(itLib, 'Catalogue.groovy'))
Catalogue.setup(basedir, 'direct-catalogue', new File(vectorsDir))
return true
