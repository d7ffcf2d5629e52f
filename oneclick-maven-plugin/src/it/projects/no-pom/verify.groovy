assert !new File(basedir, 'pom.xml').exists()
def log = new File(basedir, 'build.log').text
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/oneclick/resources.json'))
assert json.s3Bucket == 'tmux-builder-3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a'
assert log =~ /Files: 2 uploaded/
assert log.contains('status:      DEPLOYED')
return true
