from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from campaign.models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（区分大小写）。",
        "inactive": "该账号已停用，请联系创文办管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "登录", css_class="w-100 btn-lg"))


class PasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "修改密码"))

    def save(self, commit=True):
        # The one-time password of an imported account has done its job once replaced.
        self.user.must_change_password = False
        user = super().save(commit=False)
        if commit:
            user.save()
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "email"]
        labels = {"email": "电子邮箱"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "保存"))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = phone.replace("-", "").replace(" ", "")
        if phone and not digits.isdigit():
            raise forms.ValidationError("电话号码只能包含数字、空格和短横线。")
        return phone
