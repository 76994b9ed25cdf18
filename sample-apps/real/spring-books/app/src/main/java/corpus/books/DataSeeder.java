package corpus.books;

import java.time.LocalDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.stereotype.Component;

/** Fills the (in-memory) shelf at start; every row is stamped with the time of this start. */
@Component
public class DataSeeder implements CommandLineRunner {

    private static final Logger log = LoggerFactory.getLogger(DataSeeder.class);

    private final BookRepository books;

    public DataSeeder(BookRepository books) {
        this.books = books;
    }

    @Override
    public void run(String... args) {
        if (books.count() > 0) {
            return;
        }
        LocalDateTime now = BookService.now();
        books.save(new Book("The Left Hand of Darkness", "Ursula K. Le Guin", 1969, now));
        books.save(new Book("Der Zauberberg", "Thomas Mann", 1924, now));
        books.save(new Book("Cien años de soledad", "Gabriel García Márquez", 1967, now));
        log.info("seeded {} books at {}", books.count(), now);
    }
}
