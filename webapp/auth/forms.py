"""Login form."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..messages import error_text


class LoginForm(FlaskForm):
    """Username and password, both required."""

    username = StringField("用户名", validators=[
        DataRequired(error_text("required")), Length(max=64),
        Regexp(r"^[^\x00-\x1f\x7f]*$", message=error_text("control_chars"))])
    password = PasswordField("密码", validators=[DataRequired(error_text("required")),
                                               Length(max=256)])
