// The demo family's ID numbers, from the server's own seed (services/admin/demo.py), for the forms that ask for one.
const {execFileSync} = require('child_process')
const path = require('path')
const {BIN, REPO} = require('./server.js')

const idNumber = (openid) => execFileSync(path.join(BIN, 'python'), ['-c',
  'import sys; from services.admin.demo import id_number; print(id_number(sys.argv[1]))', openid], {cwd: REPO, encoding: 'utf8'}).trim()

module.exports = {idNumber}
