# A guestbook: Sinatra on puma. Entries live in a JSON file in the state directory of the
# app user (/var/lib/guestbook), seeded at build time.
require 'sinatra/base'
require 'json'
require 'time'
require 'erb'

class Guestbook < Sinatra::Base
  STORE = ENV.fetch('GUESTBOOK_STORE', '/var/lib/guestbook/entries.json')
  LOCK = Mutex.new

  configure do
    set :root, __dir__
    enable :logging
    set :default_encoding, 'utf-8'
  end

  helpers do
    include ERB::Util

    def entries
      JSON.parse(File.read(STORE, encoding: 'utf-8'))
    end

    def add_entry(name, message)
      LOCK.synchronize do
        all = entries
        entry = { 'id' => (all.map { |e| e['id'] }.max || 0) + 1, 'name' => name, 'message' => message,
                  'created' => Time.now.utc.iso8601 }
        tmp = "#{STORE}.tmp"
        File.write(tmp, JSON.pretty_generate(all << entry))
        File.rename(tmp, STORE)
        entry
      end
    end

    def invalid(name, message)
      errors = []
      errors << 'Please tell us your name.' if name.to_s.strip.empty?
      errors << 'The message must be 1 to 500 characters long.' unless (1..500).cover?(message.to_s.strip.length)
      errors
    end

    def find_entry(id)
      entries.find { |e| e['id'] == id.to_i } or halt 404
    end
  end

  get '/' do
    @entries = entries
    erb :index
  end

  post '/entries' do
    @errors = invalid(params[:name], params[:message])
    unless @errors.empty?
      @entries = entries
      status 422
      return erb :index
    end
    entry = add_entry(params[:name].strip, params[:message].strip)
    redirect to("/entries/#{entry['id']}"), 303
  end

  get '/entries/:id' do
    @entry = find_entry(params[:id])
    erb :show
  end

  get '/entries.csv' do
    require 'csv' # only the export needs it
    content_type 'text/csv', charset: 'utf-8'
    attachment 'guestbook.csv'
    CSV.generate do |csv|
      csv << %w[id name message created]
      entries.each { |e| csv << e.values_at('id', 'name', 'message', 'created') }
    end
  end

  get '/api/entries' do
    content_type :json
    list = entries
    list = list.select { |e| e['name'].downcase.include?(params[:name].downcase) } if params[:name]
    JSON.generate('count' => list.size, 'entries' => list)
  end

  get '/api/entries/:id' do
    content_type :json
    JSON.generate(find_entry(params[:id]))
  end

  post '/api/entries' do
    content_type :json
    data = begin
      JSON.parse(request.body.read)
    rescue JSON::ParserError
      halt 400, JSON.generate('error' => 'the body is not JSON')
    end
    errors = invalid(data['name'], data['message'])
    halt 422, JSON.generate('errors' => errors) unless errors.empty?
    status 201
    JSON.generate(add_entry(data['name'].strip, data['message'].strip))
  end

  # How a message will look: HTML-escaped, and as a link to the preview itself.
  get '/preview' do
    content_type :json
    text = params.fetch('text', '')
    JSON.generate('text' => text, 'html' => html_escape(text), 'url' => "/preview?text=#{url_encode(text)}")
  end

  get '/entries.yaml' do
    require 'yaml' # only this export needs it (psych and libyaml)
    content_type 'application/yaml', charset: 'utf-8'
    { 'guestbook' => entries }.to_yaml
  end

  get '/fingerprint' do
    require 'digest'
    content_type :text
    "#{Digest::SHA256.hexdigest(params.fetch('text', ''))}\n"
  end

  not_found do
    erb :not_found
  end
end
