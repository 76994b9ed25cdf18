package corpus.books;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

@Service
public class BookService {

    private final BookRepository books;

    public BookService(BookRepository books) {
        this.books = books;
    }

    @Transactional(readOnly = true)
    public List<Book> all() {
        return books.findAllByOrderByIdAsc();
    }

    @Transactional(readOnly = true)
    public Book get(long id) {
        return books.findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no book " + id));
    }

    @Transactional
    public Book create(BookForm form) {
        return books.save(new Book(form.getTitle().strip(), form.getAuthor().strip(), form.getYear(), now()));
    }

    static LocalDateTime now() {
        return LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
