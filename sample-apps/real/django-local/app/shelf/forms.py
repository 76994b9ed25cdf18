from django import forms

from .models import Book


class BookForm(forms.ModelForm):
    class Meta:
        model = Book
        fields = ["title", "author", "year", "words"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > 2100:
            raise forms.ValidationError("That book has not been written yet.")
        return year
