def log = new File(basedir, 'build.log').text
def skill = new File(basedir, '.claude/skills/1-click-deploy')
assert new File(skill, 'SKILL.md').isFile()
assert new File(skill, 'aws-deployment-checklist.md').isFile()
assert new File(skill, 'skills/static-site-deploy.md').isFile()

// the user's edit survived the second install, which says so
assert new File(skill, 'SKILL.md').text.contains('Edited by the user: keep me.')
assert log.contains('kept SKILL.md (changed by the user')

// notify.sh rendered for the GUID and server, executable
def notify = new File(basedir, 'notify.sh')
assert notify.isFile()
assert notify.canExecute() : 'notify.sh is executable'
assert notify.text.contains('4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b')
assert notify.text.contains('http://127.0.0.1:8082')
// the second install renders the same script and leaves it as it is
assert log =~ /(?m)^\[INFO\]   unchanged \S*notify\.sh$/ : 'the second install leaves notify.sh unchanged'
def usage = ['bash', notify.path].execute()
usage.waitFor()
assert usage.exitValue() == 2 : 'notify.sh without arguments prints its usage and exits 2'
return true
