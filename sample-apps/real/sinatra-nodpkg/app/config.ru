require_relative 'app'

use Rack::Deflater
run Guestbook
