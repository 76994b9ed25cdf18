package corpus.books;

import jakarta.validation.Valid;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** The HTML pages: the shelf with its form, and one page per book. */
@Controller
public class ShelfController {

    private final BookService service;

    public ShelfController(BookService service) {
        this.service = service;
    }

    @GetMapping("/")
    public String shelf(Model model) {
        model.addAttribute("books", service.all());
        model.addAttribute("bookForm", new BookForm());
        return "index";
    }

    @GetMapping("/books/{id}")
    public String book(@PathVariable long id, Model model) {
        model.addAttribute("book", service.get(id));
        return "book";
    }

    @PostMapping("/books")
    public String add(@Valid @ModelAttribute("bookForm") BookForm form, BindingResult result, Model model) {
        if (result.hasErrors()) {
            model.addAttribute("books", service.all());
            return "index";
        }
        Book book = service.create(form);
        return "redirect:/books/" + book.getId();
    }
}
