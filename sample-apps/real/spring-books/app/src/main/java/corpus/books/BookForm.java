package corpus.books;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** What a client sends to create a book: the HTML form and the JSON API share it. */
public class BookForm {

    @NotBlank(message = "{book.title.required}")
    @Size(max = 200)
    private String title;

    @NotBlank(message = "{book.author.required}")
    @Size(max = 200)
    private String author;

    @NotNull
    @Min(1450)
    @Max(2100)
    private Integer year;

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getAuthor() {
        return author;
    }

    public void setAuthor(String author) {
        this.author = author;
    }

    public Integer getYear() {
        return year;
    }

    public void setYear(Integer year) {
        this.year = year;
    }
}
